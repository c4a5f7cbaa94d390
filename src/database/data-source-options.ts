import type { DataSourceOptions } from 'typeorm';
import { AgentState } from '../routing/agent-state.entity.js';
import { AppSetting } from './app-setting.entity.js';
import { Contact, ContactIdentity } from '../contacts/contact.entity.js';
import { Conversation } from '../conversations/conversation.entity.js';
import { ConversationEvent } from '../conversations/conversation-event.entity.js';
import { Message } from '../conversations/message.entity.js';
import { Queue, QueueMember } from '../routing/queue.entity.js';
import { Site } from '../sites/site.entity.js';
import { StaffUser } from '../auth/staff-user.entity.js';
import { InitialSchema1764150000000 } from './migrations/1764150000000-initial-schema.js';
import { QueueStrategies1764160000000 } from './migrations/1764160000000-queue-strategies.js';
import { AgentStateEvents1764170000000 } from './migrations/1764170000000-agent-state-events.js';
import { QueueRoutingRules1764180000000 } from './migrations/1764180000000-queue-routing-rules.js';
import { OfferMode1764190000000 } from './migrations/1764190000000-offer-mode.js';

export const ENTITIES = [
  AppSetting,
  StaffUser,
  Queue,
  QueueMember,
  AgentState,
  Contact,
  ContactIdentity,
  Site,
  Conversation,
  Message,
  ConversationEvent,
];

export const MIGRATIONS = [
  InitialSchema1764150000000,
  QueueStrategies1764160000000,
  AgentStateEvents1764170000000,
  QueueRoutingRules1764180000000,
  OfferMode1764190000000,
];

export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    synchronize: false,
    migrationsRun: false,
    // Keep idle connections: reopening them under bursty load costs more than holding them.
    extra: { max: 20, idleTimeoutMillis: 5 * 60_000 },
  };
}
