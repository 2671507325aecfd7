// The browser-test harness: starts the real `haven` binary on the embedded profile (demo data,
// a temporary data directory, a free port) serving this app's build, drives Debian's Chromium
// with playwright-core, runs axe in the page, saves screenshots, and prints one summary line.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const FRONTEND = resolve(here, '..');
export const REPO = resolve(FRONTEND, '..');
export const SCREENSHOTS = join(REPO, 'docs', 'screenshots');
export const PASSWORD = 'haven-demo-2026';
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

function binary() {
  if (process.env.HAVEN_BIN) return process.env.HAVEN_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? join(REPO, 'target');
  return join(target, 'debug', 'haven');
}

export async function startServer() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'haven-e2e-'));
  const child = spawn(binary(), [], {
    env: {
      ...process.env,
      HAVEN_LISTEN: `127.0.0.1:${port}`,
      HAVEN_DATA_DIR: dataDir,
      HAVEN_FRONTEND_DIR: join(FRONTEND, 'dist'),
      HAVEN_DEMO: 'true',
      HAVEN_DEMO_PASSWORD: PASSWORD,
      HAVEN_LOG_LEVEL: 'warn',
      HAVEN_LOGIN_LIMIT_PER_IP: '1000',
      HAVEN_LOGIN_LIMIT_PER_ACCOUNT: '1000',
      DATABASE_URL: '',
      REDIS_URL: '',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haven exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/health/ready`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('haven did not become ready');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Runs axe in the page; fails on any serious or critical violation. */
export async function axe(page, screen) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) throw new Error(`axe on ${screen}: ${JSON.stringify(bad)}`);
  return result;
}

export async function shot(page, name) {
  if (process.env.HAVEN_E2E_SCREENSHOTS === '0') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The browser's storage must never hold tokens or personal data: only the language choice. */
export async function assertCleanStorage(page) {
  const stored = await page.evaluate(() => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
  }));
  const extra = stored.local.filter((k) => k !== 'haven.language');
  if (extra.length || stored.session.length) throw new Error(`unexpected browser storage: ${JSON.stringify(stored)}`);
  const cookies = await page.context().cookies();
  for (const c of cookies) {
    if (c.name === 'haven_refresh' && (!c.httpOnly || c.sameSite !== 'Strict' || !c.secure || c.path !== '/api/v1/auth'))
      throw new Error(`refresh cookie attributes: ${JSON.stringify({ ...c, value: '…' })}`);
  }
}

/** A URL or title must never carry a name. */
export function assertNoPii(page, title, names) {
  const url = page.url();
  for (const n of names) {
    if (url.includes(n) || title.includes(n)) throw new Error(`personal data "${n}" in URL or title: ${url} / ${title}`);
  }
}

/** Runs the tests (only those whose name contains HAVEN_E2E_ONLY, when it is set). */
export async function run(all) {
  const only = process.env.HAVEN_E2E_ONLY;
  const tests = only ? all.filter(([name]) => name.includes(only)) : all;
  if (tests.length === 0) throw new Error(`no browser test is named like "${only}"`);
  const server = await startServer();
  const browser = await launch();
  let passed = 0;
  let failed = 0;
  try {
    for (const [name, fn] of tests) {
      const context = await browser.newContext({ baseURL: server.base, viewport: { width: 1280, height: 860 }, locale: 'en-GB', reducedMotion: 'reduce' });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      const started = Date.now();
      try {
        await fn({ page, context, base: server.base });
        if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`);
        passed += 1;
        console.log(`ok   ${name} (${Date.now() - started} ms)`);
      } catch (err) {
        failed += 1;
        console.log(`FAIL ${name}: ${err?.stack ?? err}`);
        await page.screenshot({ path: join(tmpdir(), `haven-e2e-fail-${name.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => {});
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0;
}
