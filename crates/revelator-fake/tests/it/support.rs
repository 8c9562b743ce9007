//! A logged-in client against a fresh fake, plus the bodies most tests start from.

use catno_revelator_fake::{FakeConfig, FakeRevelator};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

pub const JPEG: &[u8] = &[0xff, 0xd8, 0xff, 0xe0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1];
pub const WAV: &[u8] = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x02\x00\x44\xac\x00\x00";

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }
}

pub struct Api {
    pub fake: FakeRevelator,
    pub http: reqwest::Client,
    pub token: String,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

pub async fn fake(config: FakeConfig) -> FakeRevelator {
    FakeRevelator::start(config).await.unwrap()
}

pub async fn login(http: &reqwest::Client, base: &str, key: &str, user: &str) -> Answer {
    let response = http
        .post(format!("{base}/partner/account/login"))
        .json(&json!({ "partnerApiKey": key, "partnerUserId": user }))
        .send()
        .await
        .unwrap();
    answer(response).await
}

pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    Answer { status, headers, text }
}

pub async fn api() -> Api {
    api_with(FakeConfig::default()).await
}

pub async fn api_with(config: FakeConfig) -> Api {
    let fake = fake(config).await;
    let http = client();
    let login = login(&http, &fake.base_url(), "demo-key", "label-1").await;
    assert_eq!(login.status, 200, "{}", login.text);
    let token = login.json()["accessToken"].as_str().unwrap().to_owned();
    Api { fake, http, token }
}

impl Api {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.fake.base_url())
    }

    pub async fn get(&self, path: &str) -> Answer {
        answer(self.http.get(self.url(path)).bearer_auth(&self.token).send().await.unwrap()).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        answer(self.http.post(self.url(path)).bearer_auth(&self.token).json(body).send().await.unwrap()).await
    }

    pub async fn control(&self, path: &str, body: &Value) -> Answer {
        answer(self.http.post(self.url(path)).json(body).send().await.unwrap()).await
    }

    pub async fn upload(&self, path: &str, name: &str, bytes: &'static [u8]) -> Answer {
        let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
        answer(self.http.post(self.url(path)).bearer_auth(&self.token).multipart(form).send().await.unwrap())
            .await
    }

    pub async fn upload_image(&self) -> String {
        let answer = self.upload("/media/image/upload?cover=true", "cover.jpg", JPEG).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        answer.json().as_str().unwrap().to_owned()
    }

    pub async fn upload_audio(&self) -> String {
        let answer = self.upload("/media/audio/upload", "01.wav", WAV).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        answer.json()["fileId"].as_str().unwrap().to_owned()
    }

    /// A release that passes validation: cover, one track with audio and a producer credit.
    pub async fn complete_release(&self, upc: &str) -> Value {
        let image = self.upload_image().await;
        let audio = self.upload_audio().await;
        json!({
            "name": "Night Drive",
            "artistName": "Ola Nordmann",
            "releasesLocals": [],
            "languageId": 1,
            "primaryMusicStyleId": 12,
            "copyrightP": "2026 Catno Records",
            "copyrightC": "2026 Catno Records",
            "upc": upc,
            "image": { "fileId": image, "filename": "cover.jpg" },
            "tracks": [track(&audio, "NOX112600001")],
        })
    }

    /// Saves `body`, asserting success; returns the echoed release.
    pub async fn save(&self, body: &Value) -> Value {
        let answer = self.post("/content/release/save", body).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        answer.json()
    }
}

pub fn track(audio_id: &str, isrc: &str) -> Value {
    json!({
        "name": "Night Drive",
        "languageId": 1,
        "explicit": false,
        "trackType": 1,
        "trackProperties": [1],
        "contributors": [{ "roleId": 70, "artist": { "name": "Kari Producer" } }],
        "composerContentsDTO": [{ "composerName": "Ola Nordmann", "roleId": 80, "share": 100, "rightsId": 1 }],
        "trackRecordingVersions": [{
            "recordingVersionType": 1,
            "isrc": isrc,
            "audioFiles": [{ "audioId": audio_id, "audioFilename": "01.wav", "fileFormat": 1 }],
        }],
    })
}
