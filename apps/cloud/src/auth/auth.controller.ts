import { Controller, Get, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { loginRequestSchema, loginResponseSchema, operatorViewSchema, type LoginRequest, type LoginResponse, type OperatorView } from '@app/contracts';
import { ZodBody } from '@app/nest-kit';
import { ApiZodBody } from '../openapi/zod-openapi.js';
import { LOGIN_INVALID_CREDENTIALS, LOGIN_RATE_LIMITED, OPERATOR_DISABLED } from '../openapi/api-errors.js';
import { ApiErrors, ApiZodResponse } from '../openapi/api-responses.js';
import { CurrentOperator, OperatorRoute, Public } from './access-policy.js';
import { AuthService, toOperatorView } from './auth.service.js';
import { LoginThrottleInterceptor } from './login-throttle.interceptor.js';
import type { OperatorPrincipal } from './principals.js';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @UseInterceptors(LoginThrottleInterceptor)
  @HttpCode(200)
  @ApiOperation({ summary: 'Trade an operator email and password for an access token (failed attempts slow down per email and source)' })
  @ApiZodBody(loginRequestSchema)
  @ApiZodResponse(loginResponseSchema)
  @ApiErrors(LOGIN_INVALID_CREDENTIALS, OPERATOR_DISABLED, LOGIN_RATE_LIMITED)
  login(@ZodBody(loginRequestSchema) body: LoginRequest): Promise<LoginResponse> {
    return this.auth.login(body);
  }

  @Get('me')
  @OperatorRoute()
  @ApiOperation({ summary: 'The operator of the token' })
  @ApiZodResponse(operatorViewSchema)
  me(@CurrentOperator() operator: OperatorPrincipal): OperatorView {
    return toOperatorView(operator);
  }
}
