import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { routePolicyProblems } from './route-policy.js';

/** Refuses to start an application with a route that does not say who may call it. */
@Injectable()
export class RoutePolicyCheck implements OnApplicationBootstrap {
  constructor(private readonly moduleRef: ModuleRef) {}

  onApplicationBootstrap(): void {
    const problems = routePolicyProblems(this.moduleRef);
    if (problems.length > 0) throw new Error(`routes without an access policy:\n  ${problems.join('\n  ')}`);
  }
}
