// converse-page.js - what every Converse.js driver shares: the page (served by a static
// server on 127.0.0.1, random port, so the XMPP and upload URLs are of another origin),
// headless Debian Chromium through playwright-core, login, and the clean-up.
//
// Env: XMPP_JID, XMPP_RESOURCE, XMPP_PASSWORD, XMPP_HTTP_URL, XMPP_TRANSPORT (bosh|websocket),
// CONVERSE_DIST (dir with converse.min.js/.css), WORK (temp dir: chromium profile, screenshot,
// console.log), CHROMIUM (default /usr/bin/chromium), XMPP_TIMEOUT (s), XMPP_INSECURE=1 (ignore
// https/wss certificate errors), XMPP_SPKI (base64 SHA-256 SPKI hashes to trust, comma separated).
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const E = process.env;
const out = (...a) => console.log(...a);

function pageHtml() {
  const cfg = {
    [E.XMPP_TRANSPORT === 'bosh' ? 'bosh_service_url' : 'websocket_url']: E.XMPP_HTTP_URL,
    jid: E.XMPP_JID + '/' + (E.XMPP_RESOURCE || 'converse-' + process.pid),
    password: E.XMPP_PASSWORD,
    auto_login: true,
    auto_reconnect: false,
    discover_connection_methods: false,
    view_mode: 'fullscreen',
    allow_non_roster_messaging: true,
    play_sounds: false,
    show_desktop_notifications: false,
    persistent_store: 'sessionStorage',
    loglevel: 'info',
    whitelisted_plugins: ['xmpp-test-hook'],
  };
  return `<!doctype html><html><head><meta charset="utf-8"><title>converse test</title>
<link rel="stylesheet" href="/dist/converse.min.css"></head>
<body class="converse-fullscreen"><script type="module">
// Converse.js >= 12 ships an ES module bundle (older ones: a plain <script> defining window.converse)
import converse from '/dist/converse.min.js';
window.converse = converse;
window.__events = [];
converse.plugins.add('xmpp-test-hook', { initialize() {
  const api = this._converse.api;
  window.__api = api;
  api.listen.on('connected', () => window.__events.push('connected'));
  api.listen.on('disconnected', () => window.__events.push('disconnected'));
  api.listen.on('noResumeableBOSHSession', () => window.__events.push('noResumeableBOSHSession'));
}});
converse.initialize(${JSON.stringify(cfg)});
</script></body></html>`;
}

function serve() {  // static server on loopback, random port
  const dist = E.CONVERSE_DIST;
  const types = { '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
                  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png',
                  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.mp3': 'audio/mpeg', '.ogg': 'audio/ogg' };
  const srv = http.createServer((req, res) => {
    const u = decodeURIComponent(req.url.split('?')[0]);
    if (u === '/' || u === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' }); return res.end(pageHtml());
    }
    const f = path.normalize(path.join(dist, u.replace(/^\/dist\//, '/')));
    if (!f.startsWith(path.resolve(dist)) || !fs.existsSync(f) || fs.statSync(f).isDirectory()) {
      res.writeHead(404); return res.end();
    }
    res.writeHead(200, { 'content-type': types[path.extname(f)] || 'application/octet-stream' });
    fs.createReadStream(f).pipe(res);
  });
  return new Promise(r => srv.listen(0, '127.0.0.1', () => r(srv)));
}

/**
 * Starts Chromium on an empty --user-data-dir. Chromium makes its singleton socket in
 * $TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket and aborts ("Socket path too long") when
 * that passes the 107 bytes a Unix socket path may have; the tests' TMPDIR (a JUnit @TempDir
 * inside the CI run's own temporary directory) is long enough to cross that line now and then.
 * So Chromium alone gets a short private temporary directory of its own, removed at exit.
 */
async function launch(args) {
  const shortTmp = fs.mkdtempSync('/tmp/cv-');
  process.on('exit', () => fs.rmSync(shortTmp, { recursive: true, force: true }));
  return chromium.launchPersistentContext(path.join(E.WORK, 'chromium-profile'), {
    executablePath: E.CHROMIUM || '/usr/bin/chromium', headless: true, args,
    ignoreHTTPSErrors: E.XMPP_INSECURE === '1', timeout: 30000,
    env: { ...process.env, TMPDIR: shortTmp },
  });
}

/**
 * Serves the page, opens it in Chromium, waits until Converse.js is connected (prints PAGE and
 * CONNECTED) and runs {@code scenario(page, left)}, where left() is the time left in ms for the
 * next wait. Prints OK or FAIL and exits 0 or 1; logs out first, so that no BOSH session lingers.
 */
async function runConverse(scenario) {
  const timeoutMs = (parseInt(E.XMPP_TIMEOUT || '60', 10) - 5) * 1000;
  const srv = await serve();
  const url = `http://127.0.0.1:${srv.address().port}/`;
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage'];
  if (E.XMPP_SPKI) args.push('--ignore-certificate-errors-spki-list=' + E.XMPP_SPKI);
  const ctx = await launch(args);
  let ok = false;
  const page = ctx.pages()[0] || await ctx.newPage();
  const logs = [];
  page.on('console', m => logs.push(m.type() + ': ' + m.text()));
  page.on('pageerror', e => logs.push('pageerror: ' + e.message));
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1000, deadline - Date.now());
  try {
    await page.goto(url, { timeout: left() });
    out('PAGE', url);
    await page.waitForFunction(() => window.__events && (window.__events.includes('connected') || window.__events.includes('disconnected')), null, { timeout: left() });
    const ev = await page.evaluate(() => window.__events.join(','));
    if (!ev.includes('connected') || ev.startsWith('disconnected')) throw new Error('not connected: ' + ev);
    const ver = await page.evaluate(() => window.converse && converse.VERSION_NAME || '');
    out('CONNECTED', E.XMPP_TRANSPORT, ver);
    await scenario(page, left, deadline);
    ok = true;
  } catch (e) {
    out('FAIL', (e.message || String(e)).split('\n')[0]);
  } finally {
    fs.writeFileSync(path.join(E.WORK, 'console.log'), logs.join('\n'));  // kept with XMPP_KEEP=1
    try { await page.screenshot({ path: path.join(E.WORK, 'screen.png') }); } catch (e) {}
    try { await page.evaluate(() => window.__api && window.__api.user.logout()); await page.waitForTimeout(300); } catch (e) {}
    await ctx.close().catch(() => {});
    srv.close();
  }
  if (ok) out('OK');
  process.exit(ok ? 0 : 1);
}

/** Waits until the file exists (the shell's or the test's signal), or the deadline passes. */
async function waitForFile(file, deadline) {
  while (!fs.existsSync(file) && Date.now() < deadline) await new Promise(r => setTimeout(r, 200));
}

/** Types {@code text} into the open chat's (or room's) text area and presses Enter, as a user would. */
async function typeAndSend(page, text, left) {
  const ta = page.locator('textarea.chat-textarea').first();
  await ta.waitFor({ timeout: left() });
  await ta.click();
  await ta.fill(text);
  await ta.press('Enter');
}

module.exports = { runConverse, waitForFile, typeAndSend, out };
