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
import { Attachment } from '../attachments/attachment.entity.js';
import { ChannelAccount } from '../channels/channel-accounts/channel-account.entity.js';
import { InitialSchema1764150000000 } from './migrations/1764150000000-initial-schema.js';
import { QueueStrategies1764160000000 } from './migrations/1764160000000-queue-strategies.js';
import { AgentStateEvents1764170000000 } from './migrations/1764170000000-agent-state-events.js';
import { QueueRoutingRules1764180000000 } from './migrations/1764180000000-queue-routing-rules.js';
import { OfferMode1764190000000 } from './migrations/1764190000000-offer-mode.js';
import { ServiceLevelsHoursCapacity1764200000000 } from './migrations/1764200000000-service-levels-hours-capacity.js';
import { WidgetBackend1764210000000 } from './migrations/1764210000000-widget-backend.js';
import { ChannelConnectors1764220000000 } from './migrations/1764220000000-channel-connectors.js';
import { CannedReplies1764230000000 } from './migrations/1764230000000-canned-replies.js';
import { HousekeepingIndexes1764245000000 } from './migrations/1764245000000-housekeeping-indexes.js';
import { ChannelDeliveryParts1764250000000 } from './migrations/1764250000000-channel-delivery-parts.js';
import { AuditLog1764260000000 } from './migrations/1764260000000-audit-log.js';
import { CannedReply } from '../canned-replies/canned-reply.entity.js';

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
  Attachment,
  ChannelAccount,
  CannedReply,
];

export const MIGRATIONS = [
  InitialSchema1764150000000,
  QueueStrategies1764160000000,
  AgentStateEvents1764170000000,
  QueueRoutingRules1764180000000,
  OfferMode1764190000000,
  ServiceLevelsHoursCapacity1764200000000,
  WidgetBackend1764210000000,
  ChannelConnectors1764220000000,
  CannedReplies1764230000000,
  HousekeepingIndexes1764245000000,
  ChannelDeliveryParts1764250000000,
  AuditLog1764260000000,
];

export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    // One transaction per migration, as at start (preflight.ts): lets a migration build indexes
    // CONCURRENTLY (transaction = false), which the CLI's default of one transaction for all refuses.
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // Keep idle connections: reopening them under bursty load costs more than holding them.
    extra: { max: 20, idleTimeoutMillis: 5 * 60_000 },
  };
}
