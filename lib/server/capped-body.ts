import 'server-only';

/**
 * A request body as text, or null once it exceeds `max` bytes (or breaks off). Read as a stream,
 * so a client that lies in (or leaves out) Content-Length still cannot make the server buffer
 * more than the cap. The Scalekit webhook, the account forms and the analytics endpoint take
 * bodies from anyone; none needs more than a few tens of kilobytes.
 */
export async function readCappedText(request: Request, max: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (!Number.isFinite(declared) || declared > max) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => undefined);
        return null;
      }
      chunks.push(value);
    }
  } catch {
    // A body the client broke off is no event either.
    return null;
  }
  return Buffer.concat(chunks).toString('utf8');
}
