import type { BusinessHours } from '../../../src/lib/core/hours';
import type { QueueStatus } from '../../../src/lib/core/queue';
import { bigint, boolean, customType, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

// The PostgreSQL mirror of server/db/schema.ts: every table, column, index and constraint under
// the same name (tests/storage/schema-mirror.test.ts compares the two). What differs is only the
// type: times (ms since the epoch), seqs, Yjs clientIDs (up to 2³²−1) and row ids are bigint read
// as JS numbers; flags are boolean; JSON is jsonb; bytes are bytea. Migrations: drizzle/pg/
// (`npx drizzle-kit generate --config drizzle.pg.config.ts`).

/** A bigint column read and written as a JS number (every value here is below 2⁵³). */
const long = (name: string) => bigint(name, { mode: 'number' });

/** Bytes (drizzle has no bytea column of its own); the postgres driver reads them as a Buffer. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const chatConfigurations = pgTable('chat_configurations', {
	id: text('id').primaryKey(),
	name: text('name').notNull().unique(),
	conferenceEnabled: boolean('conference_enabled').notNull(),
	requestTimeoutSec: integer('request_timeout_sec').notNull()
});

export const users = pgTable('users', {
	id: text('id').primaryKey(),
	email: text('email').notNull().unique(),
	name: text('name').notNull(),
	role: text('role', { enum: ['agent', 'supervisor', 'admin', 'auditor'] }).notNull(),
	passwordHash: text('password_hash').notNull(),
	permissions: jsonb('permissions').$type<string[]>().notNull(),
	skills: jsonb('skills').$type<string[]>().notNull(),
	capacity: integer('capacity').notNull().default(0),
	presence: text('presence', { enum: ['available', 'busy', 'offline'] }).notNull().default('offline'),
	chatConfigurationId: text('chat_configuration_id').references(() => chatConfigurations.id),
	lastAssignedAt: long('last_assigned_at').notNull().default(0),
	/** Issue 16: an admin may deactivate a user: no sign-in, no chats. */
	active: boolean('active').notNull().default(true)
});

export const sessions = pgTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: text('user_id').notNull().references(() => users.id),
		expiresAt: long('expires_at').notNull()
	},
	(t) => [index('sessions_user').on(t.userId)]
);

export const topics = pgTable('topics', {
	id: text('id').primaryKey(),
	name: text('name').notNull().unique(),
	skill: text('skill').notNull(),
	routing: text('routing', { enum: ['omni', 'button'] }).notNull(),
	hours: jsonb('hours').$type<BusinessHours>()
});

export const customers = pgTable('customers', {
	id: text('id').primaryKey(),
	email: text('email').notNull().unique(),
	name: text('name').notNull()
});

export const chats = pgTable(
	'chats',
	{
		id: text('id').primaryKey(),
		topicId: text('topic_id').notNull().references(() => topics.id),
		skill: text('skill').notNull(),
		routing: text('routing', { enum: ['omni', 'button'] }).notNull(),
		customerId: text('customer_id').notNull().references(() => customers.id),
		customerName: text('customer_name').notNull(),
		customerTokenHash: text('customer_token_hash').notNull().unique(),
		status: text('status', { enum: ['waiting', 'active', 'ended'] }).notNull(),
		originatingAgentId: text('originating_agent_id').references(() => users.id),
		createdAt: long('created_at').notNull(),
		endedAt: long('ended_at'),
		identity: text('identity', { enum: ['new', 'token', 'signed', 'confirmed', 'claimed'] }).notNull().default('claimed'),
		sourceKey: text('source_key'),
		leftMessageAt: long('left_message_at'),
		replyEmail: text('reply_email'),
		mailedUpTo: long('mailed_up_to'),
		transcriptMails: integer('transcript_mails').notNull().default(0),
		queueStatus: jsonb('queue_status').$type<QueueStatus>()
	},
	(t) => [
		index('chats_status').on(t.status),
		index('chats_customer').on(t.customerId),
		index('chats_source').on(t.sourceKey, t.createdAt),
		// T3: the limit on chats started by everyone reads the newest chats.
		index('chats_created').on(t.createdAt)
	]
);

export const chatParticipants = pgTable(
	'chat_participants',
	{
		chatId: text('chat_id').notNull().references(() => chats.id),
		userId: text('user_id').notNull(),
		role: text('role', { enum: ['customer', 'agent'] }).notNull(),
		joinedAt: long('joined_at').notNull(),
		leftAt: long('left_at')
	},
	(t) => [primaryKey({ columns: [t.chatId, t.userId] }), index('participants_user').on(t.userId)]
);

export const chatOffers = pgTable(
	'chat_offers',
	{
		id: text('id').primaryKey(),
		chatId: text('chat_id').notNull().references(() => chats.id),
		agentId: text('agent_id').notNull().references(() => users.id),
		status: text('status', { enum: ['pending', 'accepted', 'declined', 'withdrawn'] }).notNull(),
		at: long('at').notNull()
	},
	(t) => [index('offers_chat').on(t.chatId), index('offers_agent').on(t.agentId)]
);

export const docUpdates = pgTable(
	'doc_updates',
	{
		doc: text('doc').notNull(),
		seq: long('seq').notNull(),
		update: bytea('update').notNull(),
		actor: text('actor').notNull(),
		at: long('at').notNull()
	},
	(t) => [primaryKey({ columns: [t.doc, t.seq] })]
);

export const docCheckpoints = pgTable(
	'doc_checkpoints',
	{
		doc: text('doc').notNull(),
		seq: long('seq').notNull(),
		state: bytea('state').notNull(),
		at: long('at').notNull()
	},
	(t) => [primaryKey({ columns: [t.doc, t.seq] })]
);

export const docClients = pgTable(
	'doc_clients',
	{
		doc: text('doc').notNull(),
		clientId: long('client_id').notNull(),
		actor: text('actor').notNull()
	},
	(t) => [primaryKey({ columns: [t.doc, t.clientId] })]
);

export const auditEvents = pgTable(
	'audit_events',
	{
		id: long('id').primaryKey().generatedByDefaultAsIdentity(),
		chatId: text('chat_id'),
		actor: text('actor').notNull(),
		kind: text('kind').notNull(),
		data: jsonb('data').$type<Record<string, unknown>>().notNull(),
		at: long('at').notNull()
	},
	(t) => [index('audit_chat').on(t.chatId)]
);

export const conferenceRequests = pgTable(
	'conference_requests',
	{
		id: text('id').primaryKey(),
		kind: text('kind', { enum: ['conference', 'transfer'] }).notNull().default('conference'),
		chatId: text('chat_id').notNull().references(() => chats.id),
		requesterId: text('requester_id').notNull().references(() => users.id),
		targetAgentId: text('target_agent_id').references(() => users.id),
		targetSkill: text('target_skill'),
		status: text('status', { enum: ['pending', 'accepted', 'declined', 'cancelled', 'expired', 'withdrawn'] }).notNull(),
		createdAt: long('created_at').notNull(),
		expiresAt: long('expires_at').notNull(),
		decidedAt: long('decided_at'),
		decidedBy: text('decided_by'),
		reason: text('reason'),
		/** Issue 16: the requester's optional note, shown on the offer card. */
		note: text('note')
	},
	(t) => [index('requests_chat').on(t.chatId), index('requests_status').on(t.status, t.expiresAt)]
);

export const conferenceOffers = pgTable(
	'conference_offers',
	{
		requestId: text('request_id').notNull().references(() => conferenceRequests.id),
		agentId: text('agent_id').notNull().references(() => users.id),
		declined: boolean('declined').notNull().default(false),
		/** Issue 16: why this agent declined (optional), shown in the requester's banner. */
		declineReason: text('decline_reason')
	},
	(t) => [primaryKey({ columns: [t.requestId, t.agentId] }), index('conference_offers_agent').on(t.agentId)]
);

export const records = pgTable(
	'records',
	{
		id: text('id').primaryKey(),
		type: text('type', { enum: ['contact', 'case', 'order'] }).notNull(),
		title: text('title').notNull(),
		summary: text('summary').notNull(),
		customerId: text('customer_id').references(() => customers.id),
		requiredSkill: text('required_skill'),
		requiredAgentId: text('required_agent_id').references(() => users.id)
	},
	(t) => [index('records_customer').on(t.customerId)]
);

export const chatRecords = pgTable(
	'chat_records',
	{
		id: long('id').primaryKey().generatedByDefaultAsIdentity(),
		chatId: text('chat_id').notNull().references(() => chats.id),
		recordId: text('record_id').notNull().references(() => records.id),
		attachedBy: text('attached_by').notNull(),
		attachedAt: long('attached_at').notNull(),
		removedBy: text('removed_by'),
		removedAt: long('removed_at')
	},
	(t) => [index('chat_records_chat').on(t.chatId)]
);

export const chatWorkspaces = pgTable(
	'chat_workspaces',
	{
		chatId: text('chat_id').notNull().references(() => chats.id),
		agentId: text('agent_id').notNull().references(() => users.id),
		recordIds: jsonb('record_ids').$type<string[]>().notNull(),
		takenAt: long('taken_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.chatId, t.agentId] })]
);

export const attachments = pgTable(
	'attachments',
	{
		id: text('id').primaryKey(),
		chatId: text('chat_id').notNull().references(() => chats.id),
		uploadedBy: text('uploaded_by').notNull(),
		agentsOnly: boolean('agents_only').notNull().default(false),
		name: text('name').notNull(),
		type: text('type').notNull(),
		size: long('size').notNull(),
		sha256: text('sha256').notNull(),
		createdAt: long('created_at').notNull(),
		referencedAt: long('referenced_at')
	},
	(t) => [index('attachments_chat').on(t.chatId), index('attachments_unreferenced').on(t.referencedAt, t.createdAt)]
);

export const widgets = pgTable('widgets', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	key: text('key').notNull().unique(),
	secret: text('secret').notNull(),
	allowedOrigins: jsonb('allowed_origins').$type<string[]>().notNull(),
	topics: jsonb('topics').$type<string[]>().notNull(),
	greeting: text('greeting').notNull(),
	colour: text('colour').notNull(),
	createdAt: long('created_at').notNull()
});

export const chatRatings = pgTable('chat_ratings', {
	chatId: text('chat_id').primaryKey().references(() => chats.id),
	score: integer('score').notNull(),
	comment: text('comment').notNull(),
	at: long('at').notNull()
});

export const cannedReplies = pgTable(
	'canned_replies',
	{
		id: text('id').primaryKey(),
		ownerId: text('owner_id').references(() => users.id),
		title: text('title').notNull(),
		body: text('body').notNull(),
		createdAt: long('created_at').notNull(),
		updatedAt: long('updated_at').notNull()
	},
	(t) => [index('canned_replies_owner').on(t.ownerId)]
);
