//! Maps `(method, path)` to handlers. Paths match case-insensitively, as ASP.NET routes do.

use crate::state::State;
use crate::wire::{ApiError, ApiRequest, Reply};

impl State {
    pub(crate) fn dispatch(&mut self, request: &ApiRequest, token: Option<&str>) -> Result<Reply, ApiError> {
        let lowered = request.path.to_ascii_lowercase();
        let segments: Vec<&str> = lowered.split('/').filter(|s| !s.is_empty()).collect();
        let method = request.method.as_str();
        match (method, segments.as_slice()) {
            ("POST", ["partner", "account", "login"]) | ("POST", ["account", "loginpartner"]) => {
                return self.login(request);
            }
            ("POST", ["partner", "account", "signup"]) => return self.signup(request),
            _ => {}
        }
        let user = self.authenticate(token)?;
        match (method, segments.as_slice()) {
            ("GET", ["account", "user"]) => Ok(self.current_user(&user)),
            ("GET", ["account", "permissions"]) => Ok(self.permissions(&user)),

            ("POST", ["content", "release", "save"]) => self.save_release(request, &user),
            ("POST", ["content", "release", "retail", "save"]) => self.save_retail(request),
            ("GET", ["content", "release", "all"]) => self.list_releases(request),
            ("GET", ["content", "release", id]) => self.get_release(id),
            ("POST", ["content", "track", "save"]) => self.save_track(request),
            ("GET", ["content", "track", "all"]) => self.list_tracks(request),
            ("GET", ["content", "track", id]) => self.get_track(id),
            ("POST", ["content", "label", "save"]) => self.save_label(request),
            ("GET", ["content", "label", "all"]) => self.list_labels(request),

            ("GET", ["common", "lookup", kind]) => crate::lookups::lookup(kind, self.config.store_profile)
                .map(Reply::ok)
                .ok_or_else(|| ApiError::not_found(format!("Unknown lookup type {kind:?}."))),

            ("POST", ["media", "image", "upload"]) => self.upload_image(request),
            ("POST", ["media", "audio", "upload"]) => self.upload_audio(request, None),
            ("POST", ["media", "audio", "upload", format @ ("wav" | "flac")]) => {
                self.upload_audio(request, Some(format))
            }
            ("POST", ["media", "audio", "pullexternal", format]) => self.pull_external(request, format),
            ("GET", ["media", "image", file_id]) => self.get_image(file_id),

            ("POST", ["distribution", "release", "addtoqueue"]) => self.add_to_queue(request),
            ("POST", ["distribution", "release", "takedown"]) => self.takedown(request),
            ("POST", ["distribution", "release", "approve"]) => self.approve_via_api(request),
            ("POST", ["distribution", "release", "reject"]) => self.reject_via_api(request),
            ("GET", ["distribution", "release", "all"]) => self.distribution_releases(request),
            ("POST", ["distribution", "release", id, "validate"]) => self.validate_v1(id),
            ("GET", ["distribution", "store", "all"]) => self.store_statuses(request),

            ("GET", ["analytics", data_set, dimension]) => self.analytics(request, data_set, dimension),

            (
                "GET",
                ["supply-chain", "v1", "releases", id, action @ ("deliver" | "takedown"), "validate"],
            ) if self.config.v2_enabled => self.validate_v2_release(id, action, request),
            ("GET", ["supply-chain", "v1", "tracks", id, "validate"]) if self.config.v2_enabled => {
                self.validate_v2_track(id)
            }

            _ => Err(ApiError::not_found(format!("No endpoint {method} {}.", request.path))),
        }
    }
}
