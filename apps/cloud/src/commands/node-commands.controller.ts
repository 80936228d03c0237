import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  commandAckSchema,
  commandsPollQuerySchema,
  uuidSchema,
  commandsPollResponseSchema,
  commandAckResponseSchema,
  type CommandAck,
  type CommandAckResponse,
  type CommandsPollQuery,
  type CommandsPollResponse,
} from '@app/contracts';
import { ZodBody, ZodParam, ZodQuery } from '@app/nest-kit';
import { CurrentNode, NodeRoute } from '../auth/access-policy.js';
import type { NodePrincipal } from '../auth/principals.js';
import { ApiZodBody, ApiZodQuery } from '../openapi/zod-openapi.js';
import { COMMAND_NOT_FOUND } from '../openapi/api-errors.js';
import { ApiErrors, ApiZodResponse } from '../openapi/api-responses.js';
import { CommandAckService } from './command-ack.service.js';
import { CommandDeliveryService } from './command-delivery.service.js';

@ApiTags('nodes')
@Controller('api/v1')
export class NodeCommandsController {
  constructor(
    private readonly delivery: CommandDeliveryService,
    private readonly acks: CommandAckService,
  ) {}

  @Get('nodes/commands')
  @NodeRoute()
  @ApiOperation({ summary: "Long-poll the store's signed commands: answers at once when some are deliverable, else waits up to `wait` seconds" })
  @ApiZodQuery(commandsPollQuerySchema)
  @ApiZodResponse(commandsPollResponseSchema)
  async poll(
    @CurrentNode() node: NodePrincipal,
    @ZodQuery(commandsPollQuerySchema) query: CommandsPollQuery,
    @Req() _req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandsPollResponse> {
    // A client that hangs up must not be handed a command it will never see.
    const gone = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) gone.abort();
    };
    res.on('close', onClose);
    try {
      res.setHeader('Cache-Control', 'no-store');
      return { commands: await this.delivery.poll(node, query.wait, gone.signal) };
    } finally {
      res.off('close', onClose);
    }
  }

  @Post('commands/:commandId/ack')
  @NodeRoute()
  @HttpCode(200)
  @ApiOperation({ summary: 'Report the result of applying a command (ACKED or FAILED with an error code)' })
  @ApiZodBody(commandAckSchema)
  @ApiZodResponse(commandAckResponseSchema)
  @ApiErrors(COMMAND_NOT_FOUND)
  ack(
    @CurrentNode() node: NodePrincipal,
    @ZodParam('commandId', uuidSchema) commandId: string,
    @ZodBody(commandAckSchema) body: CommandAck,
  ): Promise<CommandAckResponse> {
    return this.acks.ack(node, commandId, body);
  }
}
