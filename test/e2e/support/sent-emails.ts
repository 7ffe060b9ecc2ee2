import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import PostalMime from "postal-mime";

/** One message written by Django's file-based email backend. */
export interface SentEmail {
  /** The file it was written to. */
  file: string;
  /** The recipients' addresses, comma-separated. */
  to: string;
  subject: string;
  /** The text part, decoded (quoted-printable, base64, charsets) by postal-mime. */
  body: string;
  /** The HTML part, decoded the same way; "" for a message without one. */
  html: string;
}

/** The line Django's file-based backend writes after each message. */
const SEPARATOR = `\n${"-".repeat(79)}\n`;

/**
 * Every message under `dir`, where Django's file-based backend
 * (`django.core.mail.backends.filebased.EmailBackend`, with `EMAIL_FILE_PATH`) writes one
 * file per connection, its messages separated by a line of 79 dashes; each message is
 * parsed by postal-mime. An empty list when the folder does not exist yet.
 */
export async function readSentEmails(dir: string): Promise<SentEmail[]> {
  if (!existsSync(dir)) {
    return [];
  }
  const messages = readdirSync(dir)
    .sort()
    .flatMap((name) =>
      readFileSync(join(dir, name), "utf8")
        .split(SEPARATOR)
        .filter((raw) => raw.trim() !== "")
        .map((raw) => ({ file: join(dir, name), raw })),
    );
  return Promise.all(
    messages.map(async ({ file, raw }) => {
      const email = await PostalMime.parse(raw);
      return {
        file,
        to: (email.to ?? [])
          .flatMap((address) =>
            address.group === undefined ? [address.address] : address.group.map((m) => m.address),
          )
          .join(", "),
        subject: email.subject ?? "",
        body: email.text ?? "",
        html: email.html ?? "",
      };
    }),
  );
}

/** The links of a message's text, in order. */
export function linksIn(email: SentEmail): string[] {
  return [...email.body.matchAll(/https?:\/\/[^\s<>"]+/g)].map(([link]) => link);
}
