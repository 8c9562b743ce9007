// Our commands are listed here so Tauri generates one permission per command; the capability
// in src-tauri/capabilities grants exactly these and nothing else of ours.
fn main() {
    // Leaked: the manifest wants a static list, and a build script ends right after.
    let commands: &'static [&str] = include_str!("commands.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .leak();
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build failed: {error:#}");
    }
}
