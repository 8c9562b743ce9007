/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Tauri's CLI sets these when it drives Vite (`tauri dev` / `tauri build`).
const host = process.env["TAURI_DEV_HOST"];
const debug = Boolean(process.env["TAURI_ENV_DEBUG"]);
const isVitest = Boolean(process.env["VITEST"]);

export default defineConfig({
  plugins: [svelte()],
  // Keep Rust compiler output visible when run by the Tauri CLI.
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    host: host ?? false,
    ...(host ? { hmr: { protocol: "ws", host, port: 1421 } } : {}),
    watch: { ignored: ["**/src-tauri/**", "**/target/**"] },
  },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  ...(isVitest ? { resolve: { conditions: ["browser"] } } : {}),
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: ["es2022", "chrome111", "safari16"],
    minify: !debug,
    sourcemap: debug,
    // The app is loaded from disk by the webview; one chunk is fine.
    chunkSizeWarningLimit: 1024,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    restoreMocks: true,
  },
});
