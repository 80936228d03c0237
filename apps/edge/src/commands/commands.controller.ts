import { Body, Controller, Headers, HttpCode, Post, UseFilters } from '@nestjs/common';
import type { ApplyCommandResponse, ClusterTokenClaims } from '@app/contracts';
import { Caller, EdgeRoute } from '../auth/edge-route.decorators.js';
import { CommandsService } from './commands.service.js';
import { RevisionConflictFilter } from './revision-conflict.filter.js';

@Controller('api/v1/commands')
@UseFilters(RevisionConflictFilter)
export class CommandsController {
  constructor(private readonly commands: CommandsService) {}

  /** The body is the signed envelope exactly as the cloud sent it: the signature covers its raw fields. */
  @Post('apply')
  @HttpCode(200)
  @EdgeRoute('agent')
  apply(@Caller() caller: ClusterTokenClaims, @Body() envelope: unknown, @Headers('if-match') ifMatch: string | undefined): ApplyCommandResponse {
    return this.commands.apply(envelope, ifMatch, caller.sub);
  }
}
