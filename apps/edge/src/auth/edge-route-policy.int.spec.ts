import { Controller, Get, Module } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { EdgeRoute, PublicEdgeRoute } from './edge-route.decorators.js';
import { EdgeRoutePolicyCheck, edgeRoutePolicyProblems } from './edge-route-policy.check.js';

@Controller('forgotten')
class ForgottenController {
  @Get()
  open(): string {
    return 'anyone on the LAN can read this by accident';
  }

  @Get('declared')
  @PublicEdgeRoute()
  declared(): string {
    return 'fine';
  }

  @Get('guarded')
  @EdgeRoute('agent')
  guarded(): string {
    return 'fine';
  }
}

@Module({ imports: [DiscoveryModule], controllers: [ForgottenController] })
class LeakyRoutesModule {}

@Module({ imports: [LeakyRoutesModule, DiscoveryModule], providers: [EdgeRoutePolicyCheck] })
class LeakyAppModule {}

describe(EdgeRoutePolicyCheck.name, () => {
  it('should find every route of the hub declared', async () => {
    const edge: EdgeTestApp = await startEdgeTestApp('route-policy');
    try {
      expect(edgeRoutePolicyProblems(edge.app)).toEqual([]);
    } finally {
      await edge.close();
    }
  });

  it('should name a route that declares no access policy, and refuse to start with it', async () => {
    const app = await NestFactory.createApplicationContext(LeakyRoutesModule, { logger: false, abortOnError: false });
    expect(edgeRoutePolicyProblems(app)).toEqual([
      'GET /forgotten (ForgottenController.open) declares no access policy: add @EdgeRoute(...) or @PublicEdgeRoute()',
    ]);
    await app.close();
    await expect(NestFactory.createApplicationContext(LeakyAppModule, { logger: false, abortOnError: false })).rejects.toThrow(
      /routes without an access policy:\n {2}GET \/forgotten/,
    );
  });
});
