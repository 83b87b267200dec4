/**
 * Ends the process once what it wrote has left: writes to a pipe are asynchronous on macOS (Node's docs,
 * process I/O), and process.exit() drops what is still queued, which on a runner or agent can be the last lines of the log, `##vso[task.complete]`
 * included. The callback of an empty write runs after every earlier write to that stream was flushed. The exit
 * itself stays explicit, so keep-alive sockets or a library's retry timer cannot hold the step open.
 */
export async function exitWhenFlushed(code?: number): Promise<never> {
  const flushed = (stream: NodeJS.WriteStream): Promise<void> =>
    new Promise((resolve) => {
      if (stream.destroyed || !stream.writable) resolve();
      else stream.write('', () => resolve());
    });
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  // process.exit(undefined) would reset process.exitCode (Node sets it whenever an argument is passed), so a
  // step that called setFailed would exit 0: pass the code only when there is one.
  return code === undefined ? process.exit() : process.exit(code);
}
