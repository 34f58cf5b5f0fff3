/**
 * The `data` of every complete event in SSE text (multi-line `data:` joined with `\n`, one optional
 * space after the colon removed, per the WHATWG rules). An event the text stops in the middle of is
 * left out, because the client never saw it whole.
 */
export function readSseData(text: string): string[] {
  const events: string[] = [];
  let data: string[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  // The last element follows the last terminator: an unterminated line, never a complete one.
  lines.pop();
  for (const line of lines) {
    if (line === "") {
      if (data.length > 0) events.push(data.join("\n"));
      data = [];
      continue;
    }
    if (!line.startsWith("data")) continue;
    if (line === "data") {
      data.push("");
    } else if (line.startsWith("data:")) {
      const value = line.slice(5);
      data.push(value.startsWith(" ") ? value.slice(1) : value);
    }
  }
  return events;
}
