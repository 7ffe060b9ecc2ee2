import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One message written by Django's file-based email backend. */
export interface SentEmail {
  /** The file it was written to. */
  file: string;
  to: string;
  subject: string;
  /** The text, decoded from quoted-printable or base64 when the message says so. */
  body: string;
}

/** The line Django's file-based backend writes after each message. */
const SEPARATOR = `\n${"-".repeat(79)}\n`;

/**
 * Every message under `dir`, where Django's file-based backend
 * (`django.core.mail.backends.filebased.EmailBackend`, with `EMAIL_FILE_PATH`) writes one
 * file per connection, its messages separated by a line of 79 dashes. Single-part text
 * messages, as allauth sends them; an empty list when the folder does not exist yet.
 */
export function readSentEmails(dir: string): SentEmail[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir)
    .sort()
    .flatMap((name) =>
      readFileSync(join(dir, name), "utf8")
        .split(SEPARATOR)
        .filter((raw) => raw.trim() !== "")
        .map((raw) => parseMessage(join(dir, name), raw)),
    );
}

function parseMessage(file: string, raw: string): SentEmail {
  const text = raw.replace(/\r\n/g, "\n");
  const split = text.indexOf("\n\n");
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? "" : text.slice(split + 2);
  // Folded header lines continue with whitespace.
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  }
  const encoding = (headers.get("content-transfer-encoding") ?? "").toLowerCase();
  return {
    file,
    to: headers.get("to") ?? "",
    subject: headers.get("subject") ?? "",
    body: decodeBody(body, encoding),
  };
}

function decodeBody(body: string, encoding: string): string {
  if (encoding === "base64") {
    return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  }
  if (encoding === "quoted-printable") {
    const bytes = body
      .replace(/=\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

/** The links of a message's text, in order. */
export function linksIn(email: SentEmail): string[] {
  return [...email.body.matchAll(/https?:\/\/[^\s<>"]+/g)].map(([link]) => link);
}
