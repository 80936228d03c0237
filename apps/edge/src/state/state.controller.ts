import { Controller, Get, Param } from '@nestjs/common';
import type { EdgeDomainStateResponse, MenuStateResponse, RolesStateResponse, SettingsStateResponse, UsersStateResponse } from '@app/contracts';
import { EdgeRoute } from '../auth/edge-route.decorators.js';
import { StateService } from './state.service.js';

/** The store's synced state for devices and the agent, each domain with its applied revision. */
@Controller('api/v1')
export class StateController {
  constructor(private readonly state: StateService) {}

  /** Any registered domain; the routes below are its aliases for the first four. */
  @Get('state/:domain')
  @EdgeRoute('device')
  domainState(@Param('domain') domain: string): EdgeDomainStateResponse {
    return this.state.stateOfName(domain);
  }

  @Get('settings')
  @EdgeRoute('device')
  settings(): SettingsStateResponse {
    return this.state.settings();
  }

  @Get('menu')
  @EdgeRoute('device')
  menu(): MenuStateResponse {
    return this.state.menu();
  }

  @Get('users')
  @EdgeRoute('device')
  users(): UsersStateResponse {
    return this.state.users();
  }

  @Get('roles')
  @EdgeRoute('device')
  roles(): RolesStateResponse {
    return this.state.roles();
  }
}
