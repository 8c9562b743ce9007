// The real app: launch on a fresh demo catalog, edit a release title, quit, relaunch, see it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, openSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net from "node:net";
import { Builder, By, Key, until } from "selenium-webdriver";

const app = process.env.CATNO_E2E_APP;
const dataDir = mkdtempSync(join(tmpdir(), "catno-e2e-"));
const catalog = join(dataDir, "catalog.sqlite");
let driverProcess;
let port;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitForPort(p, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(p, "127.0.0.1", () => { socket.end(); resolve(true); });
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`WebKitWebDriver did not listen on ${p}`);
}

before(async () => {
  assert.ok(app && existsSync(app), `CATNO_E2E_APP must name the built app (got ${app})`);
  port = await freePort();
  // The driver and the apps it starts log to a file, not to our stdout: an app that outlives
  // its session would otherwise hold the test runner's pipe open and the run would never end.
  const log = openSync(join(import.meta.dirname, "../../target/e2e/webdriver.log"), "w");
  driverProcess = spawn("WebKitWebDriver", [`--port=${port}`], {
    env: { ...process.env, TAURI_WEBVIEW_AUTOMATION: "true", CATNO_CATALOG: catalog, HOME: dataDir },
    stdio: ["ignore", log, log],
  });
  await waitForPort(port, 15000);
});

after(async () => {
  driverProcess?.kill();
  // An app whose window is closed should exit; one that lingers must not outlive the run.
  const lingering = spawnSync("pkill", ["-f", app]);
  if (lingering.status === 0) console.error(`killed an app process that outlived its WebDriver session (${app})`);
  // A killed app (and WebKit's helper processes) may still be writing caches into the data
  // folder for a moment: wait for them to go before removing it.
  for (let i = 0; i < 50 && spawnSync("pgrep", ["-f", app]).status === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch (error) {
    // A leftover temporary folder is not a failure of the app under test.
    console.error(`could not remove ${dataDir}: ${error.message}`);
  }
});

// A failing test leaves a screenshot of the window in target/e2e for whoever reads the CI log.
async function screenshotOnFailure(driver, name, body) {
  try {
    await body();
  } catch (error) {
    const file = join(import.meta.dirname, "../../target/e2e", `${name}.png`);
    try {
      writeFileSync(file, await driver.takeScreenshot(), "base64");
      console.error(`screenshot of the failure: ${file}`);
    } catch {
      // The window may be gone; the original error matters more.
    }
    throw error;
  }
}

async function launch() {
  return new Builder()
    .usingServer(`http://127.0.0.1:${port}`)
    .withCapabilities({ browserName: "wry", "webkitgtk:browserOptions": { binary: app, args: [] } })
    .build();
}

// WebKitWebDriver keeps Control held after a Key.chord, so select the text as Ctrl+A would and
// type over it.
async function replaceText(driver, input, text) {
  await driver.executeScript("arguments[0].focus(); arguments[0].select();", input);
  await input.sendKeys(text);
  await input.sendKeys(Key.ENTER);
}

// Keys sent while WebKit is still decoding the cover are dropped, so wait for it first.
async function waitForEditorIdle(driver) {
  await driver.wait(
    () => driver.executeScript(
      "const img = document.querySelector('[data-testid=release-editor] img');" +
      "return img !== null && img.complete && img.naturalWidth > 0;",
    ),
    15000,
    "the release editor shows the cover",
  );
}

// Rows are re-rendered as the list refreshes; reading them in one script avoids stale handles.
function rowWithText(driver, text) {
  return driver.executeScript(
    "return [...document.querySelectorAll('[data-testid=release-row]')]" +
      ".find((row) => row.textContent.includes(arguments[0])) ?? null;",
    text,
  );
}

async function openFirstRelease(driver) {
  const row = await driver.wait(until.elementLocated(By.css('[data-testid="release-row"]')), 30000);
  await driver.wait(async () => (await row.getText()).trim().length > 0, 10000);
  await row.click();
  const title = await driver.wait(until.elementLocated(By.css('[data-testid="release-title"]')), 10000);
  await waitForEditorIdle(driver);
  return title;
}

test("edit a release title, quit, relaunch, and the edit is still there", async () => {
  const newTitle = `Edited In E2E ${Date.now() % 100000}`;
  let driver = await launch();
  try {
    await screenshotOnFailure(driver, "edit-title", async () => {
    const title = await openFirstRelease(driver);
    const original = await title.getAttribute("value");
    assert.ok(original.length > 0, "the demo release has a title");
    await replaceText(driver, title, newTitle);
    // Saved once the list row, refreshed from the catalog, shows the new title.
    await driver.wait(() => rowWithText(driver, newTitle), 10000, "the release list shows the saved title");
    if (process.env.CATNO_SCREENSHOT) writeFileSync(process.env.CATNO_SCREENSHOT, await driver.takeScreenshot(), "base64");
    });
  } finally {
    await driver.quit();
  }

  driver = await launch();
  try {
    const row = await driver.wait(() => rowWithText(driver, newTitle), 30000, "the relaunched app lists the edited release");
    await row.click();
    const title = await driver.wait(until.elementLocated(By.css('[data-testid="release-title"]')), 10000);
    await driver.wait(async () => (await title.getAttribute("value")) === newTitle, 10000);
  } finally {
    await driver.quit();
  }
});

test("an invalid UPC is refused inline and not saved", async () => {
  const driver = await launch();
  try {
    await screenshotOnFailure(driver, "invalid-upc", async () => {
    await openFirstRelease(driver);
    const upc = await driver.findElement(By.css('[data-testid="release-upc"]'));
    const before = await upc.getAttribute("value");
    await replaceText(driver, upc, "036000291453");
    const error = await driver.wait(until.elementLocated(By.css('[data-testid="field-error-upc"]')), 10000);
    assert.match(await error.getText(), /check digit/i);
    await upc.sendKeys(Key.ESCAPE);
    await driver.wait(async () => (await upc.getAttribute("value")) === before, 5000, "Escape restores the saved value");
    });
  } finally {
    await driver.quit();
  }
});

test("the territory matrix applies a bulk change, refuses a track wider than its release, and undoes", async () => {
  const driver = await launch();
  try {
    await screenshotOnFailure(driver, "rights-matrix", async () => {
      await openFirstRelease(driver);
      await driver.executeScript("document.querySelector('[data-testid=open-rights]').click()");
      const command = await driver.wait(until.elementLocated(By.css('[data-testid="rights-command"]')), 10000);
      const rulesText = () =>
        driver.executeScript("return document.querySelector('[data-testid=rights-dialog] .rules').innerText");
      await driver.wait(async () => (await rulesText()).includes("No rules"), 10000, "a fresh release has no rules");

      const run = async (text) => {
        await driver.executeScript("arguments[0].focus(); arguments[0].select();", command);
        await command.sendKeys(text);
        await driver.executeScript("document.querySelector('[data-testid=rights-dialog] form.bulk button[type=submit]').click()");
      };
      await run("exclude JP");
      await driver.wait(async () => (await rulesText()).includes("#1 exclude JP on all stores"), 10000, "the rule is listed");

      await run("include JP for track 1");
      const error = await driver.wait(until.elementLocated(By.css('[data-testid="rights-error"]')), 10000);
      assert.match(await error.getText(), /track 1.*JP/);

      await driver.executeScript(
        "[...document.querySelectorAll('[data-testid=rights-dialog] header button')].find((b) => b.textContent === 'Undo').click()",
      );
      await driver.wait(async () => (await rulesText()).includes("No rules"), 10000, "undo removes the rule again");
    });
  } finally {
    await driver.quit();
  }
});

test("quality control runs on a release's files and lists their figures", async () => {
  const driver = await launch();
  try {
    await screenshotOnFailure(driver, "qc", async () => {
      await openFirstRelease(driver);
      const run = await driver.wait(until.elementLocated(By.css('[data-testid="qc-run"]')), 10000);
      await driver.executeScript("arguments[0].scrollIntoView(); arguments[0].click();", run);
      // Files are listed at once; each row gets its figures when the job has analysed it.
      const panelText = () => driver.executeScript("return document.querySelector('[data-testid=qc-panel]').textContent");
      await driver.wait(async () => !/not analysed/.test(await panelText()), 120000, "every file is analysed");
      const text = await panelText();
      assert.match(text, /-?\d+(\.\d)? LUFS/, "masters show their integrated loudness");
      assert.match(text, /\d+×\d+/, "the cover shows its dimensions");
      if (process.env.CATNO_QC_SCREENSHOT) writeFileSync(process.env.CATNO_QC_SCREENSHOT, await driver.takeScreenshot(), "base64");
    });
  } finally {
    await driver.quit();
  }
});

test("QC compares two masters of an EP at the same position (A/B)", async () => {
  const driver = await launch();
  try {
    await screenshotOnFailure(driver, "qc-ab", async () => {
      const row = await driver.wait(() => rowWithText(driver, "Canción del Puerto"), 30000, "the demo EP is listed");
      await row.click();
      await driver.wait(until.elementLocated(By.css('[data-testid="release-title"]')), 10000);
      await waitForEditorIdle(driver);
      const run = await driver.wait(until.elementLocated(By.css('[data-testid="qc-run"]')), 10000);
      await driver.executeScript("arguments[0].scrollIntoView(); arguments[0].click();", run);
      const options = () => driver.executeScript("return document.querySelector('[data-testid=qc-b-file]')?.options.length ?? 0");
      await driver.wait(async () => (await options()) >= 3, 120000, "the other masters are offered as B once analysed");
      await driver.executeScript(
        "const s = document.querySelector('[data-testid=qc-b-file]'); s.selectedIndex = 1; s.dispatchEvent(new Event('change', { bubbles: true }));",
      );
      await driver.wait(until.elementLocated(By.css('[data-testid="qc-player-b"]')), 10000, "B gets its own player");
      const figures = () => driver.executeScript("return document.querySelector('[data-testid=qc-figures]').textContent.trim()");
      assert.match(await figures(), /^A: /);
      await driver.executeScript("document.querySelector('[data-testid=qc-ab]').click()");
      await driver.wait(async () => /^B: /.test(await figures()), 5000, "the switch shows B's figures");
    });
  } finally {
    await driver.quit();
  }
});

test("the delivery check builds a DDEX message for the release", async () => {
  const driver = await launch();
  try {
    await screenshotOnFailure(driver, "delivery", async () => {
      await openFirstRelease(driver);
      const check = await driver.wait(until.elementLocated(By.css('[data-testid="delivery-check"]')), 10000);
      await driver.executeScript("arguments[0].scrollIntoView(); arguments[0].click();", check);
      const summary = await driver.wait(until.elementLocated(By.css('[data-testid="delivery-summary"]')), 60000);
      await driver.wait(async () => (await summary.getText()).trim().length > 0, 10000);
      // The demo catalog was never delivered: nothing to diff against yet.
      const since = await driver.wait(until.elementLocated(By.css('[data-testid="delivery-since"]')), 10000);
      assert.match(await since.getText(), /Never exported/);
      if (process.env.CATNO_DELIVERY_SCREENSHOT) writeFileSync(process.env.CATNO_DELIVERY_SCREENSHOT, await driver.takeScreenshot(), "base64");
    });
  } finally {
    await driver.quit();
  }
});

// The demo's single TWS005 lacks its track's version: approval is refused until the autofix.
test("validation blocks approval until the autofix; then the release is checked and approved", async () => {
  const driver = await launch();
  const text = (testId) =>
    driver.executeScript("return document.querySelector(`[data-testid=${arguments[0]}]`)?.textContent.trim() ?? ''", testId);
  const click = (css) => driver.executeScript("const el = document.querySelector(arguments[0]); el.scrollIntoView(); el.click();", css);
  try {
    await screenshotOnFailure(driver, "workflow", async () => {
      const row = await driver.wait(() => rowWithText(driver, "TWS005"), 30000, "the demo single is listed");
      await row.click();
      await waitForEditorIdle(driver);
      await driver.wait(async () => /^1 error/.test(await text("validation-errors")), 20000, "the single has one error");

      await driver.wait(until.elementLocated(By.css('[data-testid="workflow-InReview"]')), 10000);
      await click('[data-testid="workflow-InReview"]');
      await driver.wait(async () => (await text("workflow-status")) === "In review", 10000, "submitted for review");
      const manual = await driver.findElements(By.css('[data-testid="checklist"] input[type=checkbox]:not(:disabled)'));
      assert.ok(manual.length > 0, "the checklist has items a person ticks");
      for (let i = 0; i < manual.length; i++) {
        await driver.executeScript(
          "const box = document.querySelectorAll('[data-testid=checklist] input[type=checkbox]:not(:disabled)')[arguments[0]];" +
            "if (!box.checked) box.click();",
          i,
        );
        await driver.wait(
          () => driver.executeScript("return document.querySelectorAll('[data-testid=checklist] input[type=checkbox]:not(:disabled)')[arguments[0]].checked", i),
          10000,
        );
      }

      await click('[data-testid="workflow-Approved"]');
      await driver.wait(
        () => driver.executeScript("return [...document.querySelectorAll('[data-testid=toast]')].some((t) => /validation error/.test(t.textContent))"),
        10000,
        "approval is refused while validation has an error",
      );
      assert.equal(await text("workflow-status"), "In review");

      await click('[data-testid="autofix"]');
      await driver.wait(until.elementLocated(By.css('[data-testid="validation-clean"], [data-testid="validation-errors"]')), 10000);
      await driver.wait(async () => /^0 errors/.test(await text("validation-errors")) || (await text("validation-clean")) !== "", 20000, "the autofix clears the error");
      await driver.wait(
        () => rowWithText(driver, "Radio Edit"),
        10000,
        "the list shows the version the autofix set",
      );

      // The fix changed the title, so the cover check ticked before it asks for a new look.
      await driver.wait(
        () => driver.executeScript("return document.querySelector('[data-testid=checklist] li.stale') !== null"),
        10000,
        "a checklist item covering the title is stale after the title changed",
      );
      const stale = await driver.executeScript(
        "return [...document.querySelectorAll('[data-testid=checklist] li.stale input')].map((i) => i.dataset.testid)",
      );
      for (const ticked of [false, true]) {
        for (const id of stale) {
          await click(`[data-testid="${id}"]`);
          await driver.wait(
            () => driver.executeScript("return document.querySelector(`[data-testid=${arguments[0]}]`).checked === arguments[1]", id, ticked),
            10000,
          );
        }
      }
      await click('[data-testid="workflow-Approved"]');
      await driver.wait(async () => (await text("workflow-status")) === "Approved", 10000, "approved once valid and looked at again");
      assert.match(await text("workflow-history"), /In review → Approved by/);
    });
  } finally {
    await driver.quit();
  }
});

// The fake Revelator stands in for the real one (`catno-revelator-fake`, built by tests/e2e/run);
// the key goes to the private keyring `scripts/with-keyring` starts for this run.
async function startRevelatorFake() {
  const fake = process.env.CATNO_E2E_REVELATOR_FAKE;
  assert.ok(fake && existsSync(fake), `CATNO_E2E_REVELATOR_FAKE must name catno-revelator-fake (got ${fake})`);
  const fakePort = await freePort();
  const log = openSync(join(import.meta.dirname, "../../target/e2e/revelator-fake.log"), "w");
  const child = spawn(fake, ["--port", String(fakePort)], { stdio: ["ignore", log, log] });
  await waitForPort(fakePort, 15000);
  return { child, url: `http://127.0.0.1:${fakePort}` };
}

// Svelte listens to `input` events; WebKitWebDriver's typing into a password field is unreliable.
async function setInput(driver, testId, value) {
  await driver.executeScript(
    "const i = document.querySelector(`[data-testid=${arguments[0]}]`); i.value = arguments[1];" +
      "i.dispatchEvent(new Event('input', { bubbles: true }));",
    testId,
    value,
  );
}

test("log in to the demo Revelator, sync, and the release shows as synced", async () => {
  const { child: fake, url } = await startRevelatorFake();
  const driver = await launch();
  try {
    await screenshotOnFailure(driver, "revelator-sync", async () => {
      await driver.wait(until.elementLocated(By.css('[data-testid="release-row"]')), 30000);
      await driver.executeScript("document.querySelector('[data-testid=revelator-account]').click()");
      await driver.wait(until.elementLocated(By.css('[data-testid="revelator-key"]')), 10000);
      await setInput(driver, "revelator-base-url", url);
      await setInput(driver, "revelator-user", "e2e-label");
      await setInput(driver, "revelator-key", "e2e-partner-key");
      await driver.executeScript("document.querySelector('[data-testid=revelator-login]').click()");
      // textContent: the button's text is cut with an ellipsis on screen.
      const accountText = () =>
        driver.executeScript("return document.querySelector('[data-testid=revelator-account]').textContent.trim()");
      await driver.wait(async () => (await accountText()).startsWith("e2e-label@"), 20000, "the login is accepted and kept");

      const start = await driver.findElement(By.css('[data-testid="sync-start"]'));
      await driver.wait(until.elementIsEnabled(start), 10000, "Sync is enabled once a key is in the keyring");
      await driver.executeScript("document.querySelector('[data-testid=sync-start]').click()");
      const statusText = () =>
        driver.executeScript("return document.querySelector('[data-testid=sync-status]')?.textContent.trim() ?? ''");
      await driver.wait(async () => /^Sync (done|incomplete)/.test(await statusText()), 180000, "the sync job ends");
      assert.match(await statusText(), /^Sync done/, "every queued release was saved");
      await driver.wait(
        () => driver.executeScript("return document.querySelector('[data-testid=release-row] [data-testid=release-sync-synced]') !== null"),
        10000,
        "the release list marks the release as synced",
      );

      await openFirstRelease(driver);
      const panelText = () =>
        driver.executeScript("return document.querySelector('[data-testid=sync-panel]')?.textContent ?? ''");
      await driver.wait(until.elementLocated(By.css('[data-testid="sync-state"]')), 10000);
      const state = await driver.findElement(By.css('[data-testid="sync-state"]'));
      await driver.wait(async () => (await state.getText()) === "Synced", 10000, "the release is synced");
      const remoteId = await driver.findElement(By.css('[data-testid="sync-remote-id"]'));
      assert.ok((await remoteId.getText()).trim().length > 0, `the release has a Revelator id (${await panelText()})`);
      if (process.env.CATNO_SYNC_SCREENSHOT) {
        await driver.executeScript("document.querySelector('[data-testid=sync-panel]').scrollIntoView({ block: 'center' })");
        await driver.sleep(500);
        writeFileSync(process.env.CATNO_SYNC_SCREENSHOT, await driver.takeScreenshot(), "base64");
      }
    });
  } finally {
    await driver.quit();
    fake.kill();
  }
});
