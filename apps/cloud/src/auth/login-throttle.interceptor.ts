import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, type Observable } from 'rxjs';
import { AuthException } from './auth.exception.js';
import { loginSourceOf } from './login-source.js';
import { LoginThrottleService, TooManyLoginAttemptsException, type LoginClient } from './login-throttle.service.js';
import { TRUSTED_BROWSER_COOKIE, TRUSTED_BROWSER_COOKIE_PATH, TrustedBrowserCookie } from './trusted-browser-cookie.js';

/**
 * The HTTP side of login throttling: who is asking (email as typed, source address, trusted-browser
 * cookie), the 429 with Retry-After, the outcome reported back, and a fresh trusted-browser cookie
 * after a success. The rules are LoginThrottleService's.
 */
@Injectable()
export class LoginThrottleInterceptor implements NestInterceptor {
  constructor(
    private readonly throttle: LoginThrottleService,
    private readonly cookies: TrustedBrowserCookie,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const typed = (req.body as { email?: unknown } | undefined)?.email;
    const email = typeof typed === 'string' ? typed.trim().toLowerCase() : '(none)';
    const client: LoginClient = {
      email,
      source: loginSourceOf(req.ip),
      trustedBrowser: this.cookies.verify(TrustedBrowserCookie.read(req.headers.cookie), email),
    };
    return from(this.admit(client, res)).pipe(
      mergeMap((admission) =>
        next.handle().pipe(
          mergeMap(async (answer: unknown) => {
            await this.throttle.succeed(admission);
            res.cookie(TRUSTED_BROWSER_COOKIE, this.cookies.issue(email), {
              httpOnly: true,
              sameSite: 'strict',
              secure: req.secure,
              path: TRUSTED_BROWSER_COOKIE_PATH,
              maxAge: this.cookies.maxAgeMs,
            });
            return answer;
          }),
          catchError(async (error: unknown) => {
            if (error instanceof AuthException && error.code === 'INVALID_CREDENTIALS') await this.throttle.fail(admission);
            else await this.throttle.release(admission);
            throw error;
          }),
        ),
      ),
    );
  }

  private async admit(client: LoginClient, res: Response) {
    try {
      return await this.throttle.admit(client);
    } catch (error) {
      if (error instanceof TooManyLoginAttemptsException) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  }
}
