// Test harness for the browser tests: a real SMTP sink (aiosmtpd), the real server in demo mode,
// and Debian's chromium through playwright-core. Nothing is downloaded.
//
//   const stack = await startStack();   // {baseUrl, accounts, waitForMail, stop}
//   const browser = await launchBrowser();

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright-core';

import { REPO_ROOT, SCREENSHOT_DIR as SHOTS } from './paths.mjs';
import { signInWithLink } from './pages.mjs';

export { E2E_DIR, REPO_ROOT, SCREENSHOT_DIR } from './paths.mjs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => { sock.destroy(); resolve(true); });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

/** A Python that has aiosmtpd: $ETAPOLKU_PYTHON, python3 on PATH, or Debian's /usr/bin/python3. */
function pythonWithAiosmtpd() {
  const candidates = [process.env.ETAPOLKU_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean);
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import aiosmtpd'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  throw new Error('aiosmtpd is missing: apt-get install -y python3-aiosmtpd (or pip install aiosmtpd)');
}

// ---- mail ---------------------------------------------------------------------------------------

function decodeQuotedPrintable(text) {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i += 1) {
    const c = joined[i];
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function splitHeaders(raw) {
  const m = /\r?\n\r?\n/.exec(raw);
  const head = m ? raw.slice(0, m.index) : raw;
  const body = m ? raw.slice(m.index + m[0].length) : '';
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body };
}

function decodeBody(headers, body) {
  const cte = (headers['content-transfer-encoding'] || '').toLowerCase();
  if (cte === 'quoted-printable') return decodeQuotedPrintable(body);
  if (cte === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

/** The text/plain part of a raw RFC 5322 message, decoded. */
export function textPlainOf(raw) {
  const { headers, body } = splitHeaders(raw);
  const type = headers['content-type'] || 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type);
  if (/^multipart\//i.test(type) && boundary) {
    const parts = body.split(`--${boundary[1]}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      const text = textPlainOf(part.replace(/^\r?\n/, ''));
      if (text !== null) return text;
    }
    return null;
  }
  if (/^text\/plain/i.test(type)) return decodeBody(headers, body);
  return null;
}

export const LINK_RE = /https?:\/\/\S+\/linkki#token=[A-Za-z0-9_-]+/;

export function parseMail(raw) {
  const { headers } = splitHeaders(raw);
  const text = textPlainOf(raw) || '';
  const link = LINK_RE.exec(text);
  return { to: headers.to || '', subject: headers.subject || '', text, link: link ? link[0] : null };
}

// ---- the stack ---------------------------------------------------------------------------------

const ACCOUNT_RE = /^\s+(participant|participant \(sv\)|guide|provider admin):\s+(\S+)\s+(\S+)$/;
const LISTEN_RE = /Etäpolku listening on (http:\/\/127\.0\.0\.1:\d+)/;

export async function startStack({ startTimeoutMs = 120_000 } = {}) {
  const bin = process.env.ETAPOLKU_BIN || path.join(REPO_ROOT, 'target', 'debug', 'etapolku');
  if (!fs.existsSync(bin)) throw new Error(`server binary not found: ${bin} (build it, or set ETAPOLKU_BIN)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'etapolku-e2e-'));
  const mailDir = path.join(tmp, 'mail'); // must not exist before aiosmtpd starts
  const dataDir = path.join(tmp, 'data');
  const smtpPort = await freePort();
  const children = [];
  const log = [];

  const smtp = spawn(pythonWithAiosmtpd(),
    ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', mailDir],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(smtp);
  smtp.stdout.on('data', (d) => log.push(`[smtp] ${d}`));
  smtp.stderr.on('data', (d) => log.push(`[smtp] ${d}`));

  const stop = async () => {
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await once(child, 'exit').catch(() => {});
      clearTimeout(timer);
    }
    if (!process.env.E2E_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  };

  try {
    await waitForPort(smtpPort, 15_000);
    const server = spawn(bin, ['serve', '--demo', '--bind', '127.0.0.1:0', '--data-dir', dataDir], {
      // The web UI of this checkout: a binary built into a shared target dir may point at another
      // checkout's web/ (the default is the source tree it was compiled in).
      env: { ETAPOLKU_WEB_DIR: path.join(REPO_ROOT, 'web'), ...process.env, ETAPOLKU_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, ETAPOLKU_LOG: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(server);
    server.stderr.on('data', (d) => log.push(`[server] ${d}`));

    const { baseUrl, accounts } = await new Promise((resolve, reject) => {
      let baseUrlSeen = null;
      const accountsSeen = {};
      let settleTimer = null;
      const finish = () => resolve({ baseUrl: baseUrlSeen, accounts: accountsSeen });
      const timer = setTimeout(() => reject(new Error(`server did not print its address within ${startTimeoutMs} ms\n${log.join('')}`)), startTimeoutMs);
      const lines = readline.createInterface({ input: server.stdout });
      lines.on('line', (line) => {
        log.push(`[server] ${line}\n`);
        const listen = LISTEN_RE.exec(line);
        if (listen) {
          baseUrlSeen = listen[1];
          // The account lines follow once the demo program is loaded, which takes seconds on a busy
          // machine; give them time if not all of them come (resolves at once when all four did).
          settleTimer = setTimeout(() => { clearTimeout(timer); finish(); }, 60_000);
          return;
        }
        const acc = baseUrlSeen && ACCOUNT_RE.exec(line);
        if (acc) {
          accountsSeen[acc[1]] = { email: acc[2], link: acc[3] };
          if (['participant', 'participant (sv)', 'guide', 'provider admin'].every((r) => accountsSeen[r])) {
            clearTimeout(timer);
            clearTimeout(settleTimer);
            finish();
          }
        }
      });
      server.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited early (code ${code}, signal ${signal})\n${log.join('')}`));
      });
    });
    server.removeAllListeners('exit');

    const seen = new Set();
    /** Waits for the next mail (to the address, if given) that arrived after this call. */
    // withLink: skip mails without a sign-in link (the demo's scheduler may mail a task
    // reminder to the same person at any time of day).
    const waitForMail = async ({ to, withLink = false, timeoutMs = 30_000 } = {}) => {
      const newDir = path.join(mailDir, 'new');
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const files = fs.existsSync(newDir) ? fs.readdirSync(newDir).sort() : [];
        for (const f of files) {
          if (seen.has(f)) continue;
          const raw = fs.readFileSync(path.join(newDir, f), 'utf8');
          const mail = parseMail(raw);
          if (!to || mail.to.toLowerCase().includes(to.toLowerCase())) {
            seen.add(f);
            if (!withLink || mail.link) return mail;
          }
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`no mail${to ? ` to ${to}` : ''} within ${timeoutMs} ms\n${log.join('')}`);
    };
    /** Marks every mail now in the box as seen (so waitForMail returns only newer ones). */
    const skipExistingMail = () => {
      const newDir = path.join(mailDir, 'new');
      if (fs.existsSync(newDir)) for (const f of fs.readdirSync(newDir)) seen.add(f);
    };

    return { baseUrl, accounts, waitForMail, skipExistingMail, stop, log, tmp };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Whether a usable server binary exists (the e2e suite skips with a clear message if not). */
export function serverBinaryAvailable() {
  const bin = process.env.ETAPOLKU_BIN || path.join(REPO_ROOT, 'target', 'debug', 'etapolku');
  if (!fs.existsSync(bin)) return { ok: false, reason: `no server binary at ${bin}` };
  const help = spawnSync(bin, ['serve', '--help'], { encoding: 'utf8', timeout: 20_000 });
  if (!`${help.stdout}${help.stderr}`.includes('--demo')) return { ok: false, reason: `${bin} serve --help does not mention --demo` };
  return { ok: true, bin };
}

/**
 * The demo stack, a browser, and a signed-in session per demo account in `homes` (account name →
 * the path its sign-in lands on): what most test files start with.
 */
export async function startDemo(problems, homes) {
  const available = serverBinaryAvailable();
  if (!available.ok) throw new Error(`cannot run the browser tests: ${available.reason}`);
  const stack = await startStack();
  const browser = await launchBrowser();
  fs.mkdirSync(SHOTS, { recursive: true });
  const sessions = {};
  for (const [account, home] of Object.entries(homes)) {
    sessions[account] = await signInWithLink(browser, problems, stack.accounts[account].link, home);
  }
  return { stack, browser, sessions };
}
