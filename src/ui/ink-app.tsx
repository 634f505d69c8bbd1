import { render, type Instance } from 'ink';
import type { CommandIO } from '../io.js';
import { App } from './components/App.js';
import type { Session } from './session.js';

/**
 * Mounts the TUI. For an interactive command the UI is unmounted, the terminal handed over, and
 * the UI mounted again when the command exits: state lives in the session, so nothing is lost.
 */
export async function runInk(
  session: Session,
  io: CommandIO,
  start: { openFirst: boolean; practice?: boolean },
): Promise<number> {
  const stdout = io.stdout as NodeJS.WriteStream;
  const stdin = (io.stdin ?? process.stdin) as NodeJS.ReadStream;
  let instance: Instance | undefined;
  // Log entries already printed above the live region, so a remount does not print them again.
  let printed = 0;
  const mount = () => {
    instance = render(<App session={session} printed={printed} />, {
      stdout,
      stdin,
      exitOnCtrlC: false,
      patchConsole: false,
    });
  };
  session.setHandOff(async (banner, work) => {
    handedOff = true;
    instance?.unmount();
    await instance?.waitUntilExit().catch(() => undefined);
    printed = session.store.get().log.length;
    // Nothing of ours may read the terminal while the command owns it, or keystrokes vanish.
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
    stdout.write(banner);
    try {
      await work((text) => stdout.write(text));
    } finally {
      handedOff = false;
      mount();
    }
  });
  // A resize reflows what the terminal shows: the live frame Ink erases no longer has the
  // height it had, so its old copies stay on screen, and printed prose breaks mid-word. Redraw
  // the screen from the current step's prose, laid out at the new width.
  let resizeTimer: NodeJS.Timeout | undefined;
  let handedOff = false;
  const onResize = () => {
    if (resizeTimer) clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      resizeTimer = undefined;
      if (handedOff || !instance) return;
      instance.unmount();
      instance.clear?.();
      stdout.write('\u001b[H\u001b[2J');
      printed = Math.min(session.store.get().stepLogStart, session.store.get().log.length);
      mount();
    }, 120);
  };
  stdout.on('resize', onResize);
  // Ctrl-C from outside (kill -INT) or a closing terminal: leave without asking, keep the
  // learner's resources as they are, restore the terminal.
  const onAbort = () => void session.quit({ ask: false });
  io.signal?.addEventListener('abort', onAbort, { once: true });
  // The quick first frame (first-frame.ts) is replaced by the real one: cursor up, erase below.
  if (io.firstFrameLines) stdout.write(`\u001b[${io.firstFrameLines}A\u001b[0J`);
  mount();
  void session.checkImages();
  if (start.openFirst) await session.openLesson(0);
  if (start.openFirst && start.practice) await session.practice();
  await session.untilQuit();
  instance?.unmount();
  stdout.off('resize', onResize);
  if (resizeTimer) clearTimeout(resizeTimer);
  io.signal?.removeEventListener('abort', onAbort);
  return 0;
}
