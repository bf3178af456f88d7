import type { Readable } from "node:stream";

/**
 * A Node stream as the body of a `Response`, pulled one chunk at a time: nothing is read ahead
 * of what the HTTP layer asks for (Readable.toWeb counts its high-water mark in chunks, which
 * for multi-megabyte chunks means no backpressure at all). Cancelling the body destroys the
 * Node stream, which fails the export.
 */
export function webStreamOf(readable: Readable): ReadableStream<Uint8Array> {
  const iterator = readable[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel(reason) {
        readable.destroy(
          reason instanceof Error ? reason : new Error("the download was cancelled"),
        );
      },
    },
    { highWaterMark: 0 },
  );
}
