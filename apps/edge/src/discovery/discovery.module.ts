import { Module } from '@nestjs/common';
import { MdnsAdvertiser } from './mdns-advertiser.js';

@Module({ providers: [MdnsAdvertiser] })
export class DiscoveryModule {}
