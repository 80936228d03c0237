import { Controller, Get, Module } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { OperatorRoute, Public } from './access-policy.js';
import { listRoutes, routePolicyProblems } from './route-policy.js';
import { RoutePolicyCheck } from './route-policy.check.js';

@Controller('forgotten')
class ForgottenController {
  @Get()
  open(): string {
    return 'anyone can read this by accident';
  }

  @Get('declared')
  @Public()
  declared(): string {
    return 'fine';
  }
}

@Controller('guarded')
class GuardedController {
  @Get()
  @OperatorRoute('ADMIN')
  guarded(): string {
    return 'fine';
  }
}

@Module({ imports: [DiscoveryModule], controllers: [ForgottenController, GuardedController] })
class LeakyRoutesModule {}

@Module({ imports: [LeakyRoutesModule], providers: [RoutePolicyCheck] })
class LeakyAppModule {}

describe(RoutePolicyCheck.name, () => {
  describe('the cloud application', () => {
    let cloud: CloudTestApp;

    beforeAll(async () => {
      cloud = await startCloudTestApp('route-policy');
    });

    afterAll(async () => {
      await cloud.close();
    });

    it('should declare who may call every one of its routes', () => {
      const routes = listRoutes(cloud.app);
      expect(routes.length).toBeGreaterThan(25);
      expect(routePolicyProblems(cloud.app)).toEqual([]);
    });

    it('should keep public only the routes meant for anyone', () => {
      const open = listRoutes(cloud.app)
        .filter((r) => r.policy?.kind === 'public')
        .map((r) => `${r.method} ${r.path}`)
        .sort();
      expect(open).toEqual([
        'GET /api/v1/keys',
        'GET /healthz',
        'GET /metrics',
        'POST /api/v1/auth/login',
        'POST /api/v1/nodes/register',
        'POST /api/v1/nodes/token',
      ]);
    });
  });

  describe('onApplicationBootstrap', () => {
    it('should name a route that declares no access policy, and refuse to start with it', async () => {
      const app = await NestFactory.createApplicationContext(LeakyRoutesModule, { logger: false, abortOnError: false });
      expect(routePolicyProblems(app)).toEqual([expect.stringContaining('GET /forgotten (ForgottenController.open) declares no access policy')]);
      await app.close();
      await expect(NestFactory.createApplicationContext(LeakyAppModule, { logger: false, abortOnError: false })).rejects.toThrow(
        /routes without an access policy:\n {2}GET \/forgotten/,
      );
    });
  });
});
