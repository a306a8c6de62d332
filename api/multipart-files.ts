/**
 * Reading a multipart/form-data request with busboy (streaming, no temporary files, the parser
 * Express's own multer is built on): the named files and text fields, within a byte limit over the
 * whole request. A part with another name, a second part of the same name, or a request over the
 * limit ends the reading with a problem; the caller answers it.
 */
import busboy from "busboy";
import type { Request } from "express";

export interface UploadedFile {
  fileName: string;
  bytes: Buffer;
}

export type MultipartResult =
  | { ok: true; files: Map<string, UploadedFile>; fields: Map<string, string> }
  | { ok: false; kind: "payload-too-large" | "invalid-import" | "bad-request"; detail: string; path?: string };

const MAX_FIELD_BYTES = 4 * 1024 * 1024;

export function readMultipart(req: Request, options: { files: readonly string[]; fields: readonly string[]; limitBytes: number }): Promise<MultipartResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: MultipartResult) => {
      if (settled) return;
      settled = true;
      req.unpipe();
      resolve(result);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: options.files.length, fields: options.fields.length, fieldSize: MAX_FIELD_BYTES, parts: options.files.length + options.fields.length + 1 } });
    } catch {
      settle({ ok: false, kind: "bad-request", detail: "The multipart body has no boundary." });
      return;
    }
    const files = new Map<string, UploadedFile>();
    const fields = new Map<string, string>();
    let total = 0;
    const tooLarge = () => settle({ ok: false, kind: "payload-too-large", detail: `The request is larger than this server accepts for an import (${options.limitBytes} bytes, ALLOT_IMPORT_LIMIT).` });
    parser.on("file", (name, stream, info) => {
      if (!options.files.includes(name) || files.has(name)) {
        stream.resume();
        settle({ ok: false, kind: "invalid-import", path: name, detail: files.has(name) ? `The file "${name}" was sent twice.` : `Unknown file "${name}": send ${options.files.join(", ")}.` });
        return;
      }
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => {
        total += chunk.length;
        if (total > options.limitBytes) {
          stream.resume();
          tooLarge();
          return;
        }
        chunks.push(chunk);
      });
      stream.on("end", () => files.set(name, { fileName: info.filename ?? name, bytes: Buffer.concat(chunks) }));
    });
    parser.on("field", (name, value, info) => {
      if (!options.fields.includes(name) || fields.has(name)) {
        settle({ ok: false, kind: "invalid-import", path: name, detail: fields.has(name) ? `The field "${name}" was sent twice.` : `Unknown field "${name}": send ${options.fields.join(", ")} (and files ${options.files.join(", ")}).` });
        return;
      }
      if (info.valueTruncated) {
        settle({ ok: false, kind: "invalid-import", path: name, detail: `The field "${name}" is longer than ${MAX_FIELD_BYTES} bytes.` });
        return;
      }
      total += value.length;
      fields.set(name, value);
    });
    parser.on("filesLimit", () => settle({ ok: false, kind: "invalid-import", detail: `At most ${options.files.length} files: ${options.files.join(", ")}.` }));
    parser.on("fieldsLimit", () => settle({ ok: false, kind: "invalid-import", detail: `At most the fields ${options.fields.join(", ")}.` }));
    parser.on("partsLimit", () => settle({ ok: false, kind: "invalid-import", detail: "Too many parts." }));
    parser.on("error", () => settle({ ok: false, kind: "bad-request", detail: "The multipart body could not be read (malformed or cut short)." }));
    parser.on("close", () => settle({ ok: true, files, fields }));
    req.on("aborted", () => settle({ ok: false, kind: "bad-request", detail: "The request was aborted before its body was read." }));
    req.pipe(parser);
  });
}
