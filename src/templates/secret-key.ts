import { randomInt } from "node:crypto";

/** The alphabet of Django's `get_random_secret_key()`. */
export const SECRET_KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)";
const SECRET_KEY_LENGTH = 50;
const SECRET_KEY_PATTERN = /^[a-z0-9!@#$%^&*(\-_=+)]{50}$/;

/**
 * A fresh key the way Django's `startproject` makes one, from the cryptographic RNG.
 * The caller labels it `django-insecure-` where it is a development key.
 */
export function randomSecretKey(): string {
  let key = "";
  for (let i = 0; i < SECRET_KEY_LENGTH; i++) {
    key += SECRET_KEY_CHARS.charAt(randomInt(SECRET_KEY_CHARS.length));
  }
  return key;
}

/** True when `value` has the shape of {@link randomSecretKey}'s keys. */
export function isSecretKey(value: string): boolean {
  return SECRET_KEY_PATTERN.test(value);
}
