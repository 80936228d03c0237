import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { STATION_ROUTER, type StationRouter } from '../event-store/station-router.js';
import { StateController } from './state.controller.js';
import { StateRepository } from './state.repository.js';
import { StateService } from './state.service.js';

/**
 * Global so that the event store finds STATION_ROUTER (its optional hook) without importing this
 * module: the hub routes order items to the kitchen or bar by the current menu.
 */
@Global()
@Module({
  imports: [AuthModule],
  controllers: [StateController],
  providers: [
    StateService,
    StateRepository,
    { provide: STATION_ROUTER, inject: [StateService], useFactory: (state: StateService): StationRouter => ({ stationOf: (sku) => state.stationForSku(sku) }) },
  ],
  exports: [StateService, STATION_ROUTER],
})
export class StateModule {}
