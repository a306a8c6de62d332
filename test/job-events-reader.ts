/** Reads a Server-Sent Events stream (GET /v1/jobs/{id}/events) from a listening server, to its end. */
export interface ServerSentEvent {
  event: string;
  id: string | null;
  data: string;
}

/** Parses SSE text into events (comments and `retry:` lines skipped). */
export function parseEvents(text: string): ServerSentEvent[] {
  const out: ServerSentEvent[] = [];
  for (const block of text.split("\n\n")) {
    let event = "message";
    let id: string | null = null;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("id: ")) id = line.slice(4);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    if (data.length > 0) out.push({ event, id, data: data.join("\n") });
  }
  return out;
}

/** Every event of the stream until the server closes it. */
export async function readEvents(url: string, headers: Record<string, string> = {}): Promise<{ status: number; contentType: string | null; events: ServerSentEvent[] }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get("content-type"), events: parseEvents(text) };
}
