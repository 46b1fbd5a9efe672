import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback that lets requests through at `bytesPerSecond`, so a test can kill a
 * process while its upload is on the wire. Answers pass unthrottled. It counts what went up.
 */
export async function startThrottledProxy(target: { host: string; port: number }, bytesPerSecond: number) {
  const sockets = new Set<Socket>();
  let bytesUp = 0;
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    upstream.pipe(client);
    // Small slices, each after its share of time: a request body stays on the wire for a while.
    const slice = 2_048;
    client.on('data', async (chunk: Buffer) => {
      client.pause();
      for (let at = 0; at < chunk.length && !upstream.destroyed; at += slice) {
        const piece = chunk.subarray(at, at + slice);
        bytesUp += piece.length;
        upstream.write(piece);
        await new Promise((r) => setTimeout(r, Math.ceil((piece.length / bytesPerSecond) * 1000)));
      }
      client.resume();
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bytesUp: () => bytesUp,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
