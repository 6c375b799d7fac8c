/**
 * irisops ui: opens the store, starts the web UI, prints its URL (and opens a browser with
 * --open), and returns after Ctrl-C or SIGTERM once the server is closed.
 */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import type { Context } from '../context.js';
import type { SettingFlags } from '../config/resolve.js';
import { currentUser } from '../model/run-source.js';
import { processAlive } from '../tracking/run-views.js';
import { commandKit } from './shared.js';

export interface UiFlags extends SettingFlags {
  readOnly?: boolean;
  open?: boolean;
}

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** The platform's own "open this URL" program; a browser that fails to start is only a note. */
function openBrowser(url: string): Promise<boolean> {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}

export async function run(ctx: Context, _args: string[], flags: UiFlags): Promise<void> {
  const { startUiServer, isLoopback } = await import('../ui/index.js');
  // --port is the UI's own port (ui_port, default 5000), not serve's
  const kit = commandKit(ctx, { ...flags, port: undefined, uiPort: flags.port });
  const { out } = kit;
  const settings = await kit.resolveSettings();
  const store = await kit.openStore(settings.tracking_uri);
  const host = flags.host ?? '127.0.0.1';
  const readOnly = flags.readOnly === true;
  if (!isLoopback(host)) {
    out.warn(
      `bound to ${host}: anyone who can reach this machine can browse the runs${readOnly ? '' : ' and move aliases'}`,
      readOnly ? undefined : 'add --read-only, or keep the default --host 127.0.0.1',
    );
  }
  const ui = await startUiServer({
    host,
    port: settings.ui_port,
    store,
    readOnly,
    defaultAlias: settings.alias,
    machine: hostname(),
    alive: processAlive,
    user: currentUser(ctx.env),
    now: ctx.now,
  });
  out.print(`irisops ui: ${ui.url}`);
  out.note(`  store: ${store.displayUri}${readOnly ? ' (read-only)' : ''}\n  stop with Ctrl-C`);
  if (flags.open && !(await openBrowser(ui.url)))
    out.warn('could not start a browser', `open ${ui.url} yourself`);
  await new Promise<void>((resolve) => {
    const onStop = () => {
      for (const s of STOP_SIGNALS) process.off(s, onStop);
      void ui.close().then(resolve);
    };
    for (const s of STOP_SIGNALS) process.on(s, onStop);
  });
}
