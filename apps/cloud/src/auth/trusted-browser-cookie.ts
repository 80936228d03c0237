import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { randomToken, sha256Hex } from '@app/crypto';
import { CloudConfig } from '../config/cloud-config.js';

export const TRUSTED_BROWSER_COOKIE = 'pos_trusted_browser';
/** The cookie goes only to the login route: nothing else reads it. */
export const TRUSTED_BROWSER_COOKIE_PATH = '/api/v1/auth/login';

export interface TrustedBrowser {
  /** Random per issue: the browser's own failure counter is keyed by it. */
  nonce: string;
}

/**
 * The OWASP "device cookie": a browser that signed in as an email gets a cookie (HMAC with a key
 * derived from AUTH_JWT_SECRET, bound to that email) that exempts it from the email's lock on
 * untrusted clients. Failures spread over many sources can then lock strangers out of an account
 * without locking out its owner's usual browser, which has only its own counter.
 */
@Injectable()
export class TrustedBrowserCookie {
  private readonly key: Buffer;
  private readonly maxAgeSeconds: number;

  constructor(config: CloudConfig) {
    this.key = createHmac('sha256', config.authJwtSecret).update('pos-trusted-browser-cookie/v1').digest();
    this.maxAgeSeconds = config.loginThrottle.trustedBrowserDays * 86_400;
  }

  get maxAgeMs(): number {
    return this.maxAgeSeconds * 1000;
  }

  issue(email: string, now = Date.now()): string {
    const nonce = randomToken(16);
    const expires = Math.floor(now / 1000) + this.maxAgeSeconds;
    return `v1.${nonce}.${expires}.${this.mac(email, nonce, expires)}`;
  }

  /** The browser, when the cookie is ours, unexpired and issued for this very email; else null. */
  verify(value: string | undefined, email: string, now = Date.now()): TrustedBrowser | null {
    if (!value) return null;
    const [version, nonce, expiresText, mac, ...rest] = value.split('.');
    if (version !== 'v1' || !nonce || !expiresText || !mac || rest.length > 0 || !/^\d{1,12}$/.test(expiresText)) return null;
    const expires = Number(expiresText);
    if (expires * 1000 <= now) return null;
    const expected = Buffer.from(this.mac(email, nonce, expires), 'base64url');
    const given = Buffer.from(mac, 'base64url');
    return expected.length === given.length && timingSafeEqual(expected, given) ? { nonce } : null;
  }

  /** The cookie's value in a Cookie header, if any. */
  static read(cookieHeader: string | undefined): string | undefined {
    for (const part of (cookieHeader ?? '').split(';')) {
      const at = part.indexOf('=');
      if (at > 0 && part.slice(0, at).trim() === TRUSTED_BROWSER_COOKIE) return part.slice(at + 1).trim();
    }
    return undefined;
  }

  private mac(email: string, nonce: string, expires: number): string {
    return createHmac('sha256', this.key)
      .update(`${sha256Hex(email)}.${nonce}.${expires}`)
      .digest('base64url');
  }
}
