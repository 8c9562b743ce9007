// Takes the README's screenshots from the real app on a fresh demo catalog:
//   CATNO_E2E_APP=target/e2e/catno-desktop dbus-run-session -- xvfb-run -a \
//     -s "-screen 0 1440x900x24" node tests/e2e/screenshots.mjs docs/
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Builder, By, until } from "selenium-webdriver";

const app = process.env.CATNO_E2E_APP;
const out = resolve(process.argv[2] ?? ".");
const dataDir = mkdtempSync(join(tmpdir(), "catno-shots-"));
const port = 4796;
const driverProcess = spawn("WebKitWebDriver", [`--port=${port}`], {
  env: { ...process.env, TAURI_WEBVIEW_AUTOMATION: "true", CATNO_CATALOG: join(dataDir, "catalog.sqlite"), HOME: dataDir },
  stdio: "ignore",
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
await sleep(1500);
const driver = await new Builder()
  .usingServer(`http://127.0.0.1:${port}`)
  .withCapabilities({ browserName: "wry", "webkitgtk:browserOptions": { binary: app, args: [] } })
  .build();
try {
  await driver.wait(until.elementLocated(By.css('[data-testid="release-row"]')), 60000);
  await sleep(1500);
  await driver.executeScript(
    "[...document.querySelectorAll('[data-testid=release-row]')].find((r) => r.textContent.includes('Polar Night')).click()",
  );
  await sleep(2000);
  writeFileSync(join(out, "screenshot.png"), await driver.takeScreenshot(), "base64");
  await driver.executeScript("document.querySelector('[data-testid=open-rights]').click()");
  const command = await driver.wait(until.elementLocated(By.css('[data-testid="rights-command"]')), 10000);
  await command.sendKeys("Worldwide except JP, DE, AT, CH, NL, AU, NZ for tracks 3-5");
  await driver.executeScript("document.querySelector('[data-testid=rights-dialog] form.bulk button[type=submit]').click()");
  await sleep(2000);
  writeFileSync(join(out, "rights-matrix.png"), await driver.takeScreenshot(), "base64");
} finally {
  await driver.quit();
  driverProcess.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
