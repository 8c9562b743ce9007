//! V1 media: multipart uploads (field `file`), `pullexternal` without network, and reading a
//! cover back (`GET /media/image/{fileId}` → 404 once save deleted it).

use crate::config::ImageUploadResponse;
use crate::state::{AudioFile, ImageFile, State};
use crate::wire::{ApiError, ApiRequest, Body, Part, Reply, str_field};
use serde_json::json;

impl State {
    pub(crate) fn upload_image(&mut self, request: &ApiRequest) -> Result<Reply, ApiError> {
        if let Some(cover) = request.query_value("cover")
            && !matches!(cover.to_ascii_lowercase().as_str(), "true" | "false")
        {
            return Err(ApiError::field("cover", format!("cover must be true or false, got {cover:?}.")));
        }
        let part = file_part(request)?;
        if part.size == 0 {
            return Err(ApiError::field("file", "The uploaded image is empty."));
        }
        let data = part.data.clone().unwrap_or_default();
        let content_type = part
            .content_type
            .clone()
            .filter(|t| t.starts_with("image/"))
            .or_else(|| sniff_image(&data).map(str::to_owned))
            .or_else(|| image_type_from_name(part.filename.as_deref()).map(str::to_owned))
            .ok_or_else(|| {
                ApiError::field(
                    "file",
                    "The uploaded file is not a JPEG or PNG image (by type, content or name).",
                )
            })?;
        let file_id = self.new_guid();
        self.images.insert(
            file_id.clone(),
            ImageFile { filename: part.filename.clone(), content_type, data, sha256: part.sha256.clone() },
        );
        Ok(Reply::ok(match self.config.image_upload_response {
            ImageUploadResponse::BareString => json!(file_id),
            ImageUploadResponse::Object => json!({ "fileId": file_id, "filename": part.filename }),
        }))
    }

    /// `/media/audio/upload` and its `/wav`, `/flac` variants. The body may arrive chunked; the
    /// server hashes it as it streams and never holds the audio in memory.
    pub(crate) fn upload_audio(
        &mut self,
        request: &ApiRequest,
        format: Option<&str>,
    ) -> Result<Reply, ApiError> {
        let part = file_part(request)?;
        if part.size == 0 {
            return Err(ApiError::field("file", "The uploaded audio file is empty."));
        }
        // The wav path takes FLAC too (one tool reports it must), the flac path only FLAC.
        if format == Some("flac")
            && let Some(name) = part.filename.as_deref()
            && !name.to_ascii_lowercase().ends_with(".flac")
        {
            return Err(ApiError::field("file", format!("{name:?} is not a .flac file.")));
        }
        let file_id = self.new_guid();
        self.audio.insert(
            file_id.clone(),
            AudioFile { filename: part.filename.clone(), size: part.size, sha256: part.sha256.clone() },
        );
        Ok(Reply::ok(json!({ "fileId": file_id, "filename": part.filename })))
    }

    /// `POST /media/audio/pullexternal/{wav|flac}`: `file://` paths (read before the lock is
    /// taken) and URLs registered through `/__fake/external-urls`; nothing else, no network.
    pub(crate) fn pull_external(&mut self, request: &ApiRequest, format: &str) -> Result<Reply, ApiError> {
        if !matches!(format, "wav" | "flac") {
            return Err(ApiError::not_found(format!("No pullexternal endpoint for {format:?}.")));
        }
        let body = request.json_object()?;
        let url = str_field(body, "externalUrl")
            .ok_or_else(|| ApiError::field("externalUrl", "externalUrl is required."))?
            .to_owned();
        let file_name = str_field(body, "fileName").map(str::to_owned);
        let (size, sha256) = if let Some((size, sha)) = self.external_urls.get(&url) {
            (*size, sha.clone())
        } else if url.starts_with("file://") {
            match request.prefetched.as_ref().filter(|p| p.url == url).map(|p| &p.result) {
                Some(Ok((size, sha))) => (*size, sha.clone()),
                Some(Err(reason)) => {
                    return Err(ApiError::field("externalUrl", format!("Cannot read {url}: {reason}")));
                }
                None => return Err(ApiError::field("externalUrl", format!("Cannot read {url}."))),
            }
        } else {
            return Err(ApiError::field(
                "externalUrl",
                format!(
                    "The fake fetches only file:// URLs and URLs registered at /__fake/external-urls; {url} is neither."
                ),
            ));
        };
        if size == 0 {
            return Err(ApiError::field("externalUrl", format!("{url} is empty.")));
        }
        let file_id = self.new_guid();
        self.audio.insert(file_id.clone(), AudioFile { filename: file_name.clone(), size, sha256 });
        Ok(Reply::ok(json!({ "fileId": file_id, "filename": file_name })))
    }

    pub(crate) fn get_image(&self, file_id: &str) -> Result<Reply, ApiError> {
        let image = self
            .images
            .get(file_id)
            .ok_or_else(|| ApiError::not_found(format!("Image {file_id} was not found.")))?;
        Ok(Reply::Raw { status: 200, content_type: image.content_type.clone(), body: image.data.clone() })
    }
}

fn file_part(request: &ApiRequest) -> Result<&Part, ApiError> {
    match &request.body {
        Body::Multipart(parts) => parts
            .iter()
            .find(|p| p.name.as_deref() == Some("file"))
            .ok_or_else(|| ApiError::field("file", "The multipart body has no part named \"file\".")),
        Body::BadMultipart(reason) => {
            Err(ApiError::field("file", format!("Malformed multipart body: {reason}")))
        }
        _ => Err(ApiError::field("file", "Expected multipart/form-data with a part named \"file\".")),
    }
}

fn sniff_image(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

fn image_type_from_name(name: Option<&str>) -> Option<&'static str> {
    let name = name?.to_ascii_lowercase();
    if name.ends_with(".jpg") || name.ends_with(".jpeg") {
        Some("image/jpeg")
    } else if name.ends_with(".png") {
        Some("image/png")
    } else {
        None
    }
}
