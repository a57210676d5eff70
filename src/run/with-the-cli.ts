// The test runner the CLI starts is a process group of its own, so that a terminal's Ctrl-C reaches
// the CLI alone (src/cli/run.ts). It must still end with the CLI, also one killed outright
// (SIGKILL), which no signal handler sees: the CLI holds one end of a pipe, the runner's fd 3; when
// that end closes, the runner ends its group (itself and its workers) at once.
import { Socket } from 'node:net';

/** The runner's file descriptor of the pipe from the CLI. */
export const CLI_PIPE_FD = 3;

/** In the runner the CLI started (no-op anywhere else: plain Playwright, a worker). */
export function endWithTheCli(env: NodeJS.ProcessEnv = process.env): void {
  if (!env.SC_CLI_PID || Number(env.SC_CLI_PID) !== process.ppid) return;
  let pipe: Socket;
  try {
    pipe = new Socket({ fd: CLI_PIPE_FD, readable: true, writable: false });
  } catch {
    return;
  }
  pipe.on('error', () => {});
  pipe.on('close', () => {
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      // not a group leader: started otherwise than by the CLI
    }
  });
  pipe.resume();
  // It never keeps the runner alive.
  pipe.unref();
}
