import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { ContactsService } from '../../contacts/contacts.service.js';
import type { Actor } from '../../conversations/domain/access.js';
import { InactivityService } from '../../conversations/inactivity.service.js';
import { MessagesService } from '../../conversations/messages.service.js';
import type { MessageAck } from '../../realtime/contracts/common.js';
import { assign, lockAgentLoad } from '../../routing/assignment.repository.js';
import { AssignmentNotifier } from '../../routing/assignment.notifier.js';
import { ChannelAccountsService } from '../channel-accounts/channel-accounts.service.js';
import type { Connector, ConnectorAccount } from '../connectors/connector.js';
import { connectorFor } from '../connectors/registry.js';
import { ChannelConversationsService } from '../webhooks/channel-conversations.service.js';
import { ChannelOutbound } from './channel-outbound.js';
import type { SendTemplateDto, StartOutboundDto } from './outbound.dto.js';

type Account = ConnectorAccount & { enabled: boolean; defaultQueueId: string };

/** Agent-initiated conversations on messaging networks, and template messages outside the window. */
@Injectable()
export class OutboundConversationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: ChannelAccountsService,
    private readonly contacts: ContactsService,
    private readonly conversations: ChannelConversationsService,
    private readonly outbound: ChannelOutbound,
    private readonly messages: MessagesService,
    private readonly notifier: AssignmentNotifier,
    private readonly inactivity: InactivityService,
  ) {}

  /**
   * Opens a conversation with `to` on the account, assigned to the calling agent (their capacity is
   * checked under the same lock routing uses), and sends the first message.
   */
  async start(
    actor: Actor,
    input: StartOutboundDto,
  ): Promise<{ conversationId: string; message: MessageAck }> {
    if (actor.kind !== 'staff') throw new ForbiddenException('Only staff start conversations');
    if (!input.body === !input.template) throw new BadRequestException('Give either body or template: true');
    const { account, connector } = await this.account(input.accountId);
    const link = { accountId: account.id, network: account.network, recipient: input.to };
    if (input.body) await this.outbound.assertWindowOpen(link);
    const template = input.template ? this.templateOf(account, connector, input.parameters ?? []) : null;

    const { conversationId, created } = await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `channel:${account.id}:${input.to}`,
      ]);
      const open = await this.conversations.findOpen(tx, account.id, input.to);
      if (open) {
        if (open.agent_id !== actor.staffId)
          throw new ConflictException('This customer already has an open conversation on this account');
        return { conversationId: open.id, created: false };
      }
      const load = await lockAgentLoad(tx, actor.staffId, this.config.routing.wrapUpSeconds);
      if (!load) throw new ForbiddenException('Only agents can start conversations');
      if (!load.canTake(connector.channel).canTake) throw new ConflictException('You are at capacity');
      const contactId = await this.contacts.findOrCreateForChannel(tx, connector.channel, {
        externalId: input.to,
      });
      const id = await this.conversations.create(
        tx,
        connector,
        account,
        contactId,
        input.to,
        account.defaultQueueId,
        { startedBy: 'agent' },
      );
      await assign(tx, id, account.defaultQueueId, actor.staffId, {
        type: 'assigned',
        actorId: actor.staffId,
        data: { outbound: true },
      });
      return { conversationId: id, created: true };
    });
    if (created) {
      await this.notifier.assigned({
        conversationId,
        queueId: account.defaultQueueId,
        agentId: actor.staffId,
      });
      // Closed a day (IM_INACTIVITY_CLOSE_HOURS) after the start if the customer never answers.
      await this.inactivity.arm(conversationId, connector.channel);
    }
    const message = template
      ? await this.outbound.withTemplate(template, () =>
          this.messages.send(actor, {
            conversationId,
            body: `[Template ${template.name}] ${template.parameters.join(' · ')}`.trim(),
            clientId: input.clientId,
          }),
        )
      : await this.messages.send(actor, {
          conversationId,
          body: input.body as string,
          clientId: input.clientId,
        });
    return { conversationId, message };
  }

  /** Sends the account's configured template into a conversation (allowed outside the window). */
  async sendTemplate(actor: Actor, conversationId: string, input: SendTemplateDto): Promise<MessageAck> {
    const link = await this.outbound.link(conversationId);
    if (!link) throw new NotFoundException('This conversation is not on a messaging network');
    const { account, connector } = await this.account(link.accountId);
    const template = this.templateOf(account, connector, input.parameters ?? []);
    return this.outbound.withTemplate(template, () =>
      this.messages.send(actor, {
        conversationId,
        body: `[Template ${template.name}] ${template.parameters.join(' · ')}`.trim(),
        clientId: input.clientId,
      }),
    );
  }

  private templateOf(account: Account, connector: Connector, parameters: string[]) {
    if (!connector.capabilities.templates)
      throw new BadRequestException(`${connector.name} has no template messages`);
    const name = account.settings.windowTemplateName;
    if (!name)
      throw new ConflictException('No template is configured for this account (settings.windowTemplateName)');
    return {
      type: 'template' as const,
      name,
      language: account.settings.windowTemplateLanguage || 'en',
      parameters,
    };
  }

  private async account(accountId: string): Promise<{ account: Account; connector: Connector }> {
    const account = await this.accounts.connectorAccount(accountId);
    const connector = account && connectorFor(account.network);
    if (!account || !connector || !account.enabled) throw new NotFoundException('No such channel account');
    return { account, connector };
  }
}
