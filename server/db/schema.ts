import type { BusinessHours } from '../../src/lib/core/hours';
import type { QueueStatus } from '../../src/lib/core/queue';
import { sqliteTable, text, integer, blob, primaryKey, index } from 'drizzle-orm/sqlite-core';

// Relational facts. Live chat state is in Yjs documents whose updates are in doc_updates.

export const chatConfigurations = sqliteTable('chat_configurations', {
	id: text('id').primaryKey(),
	name: text('name').notNull().unique(),
	conferenceEnabled: integer('conference_enabled', { mode: 'boolean' }).notNull(),
	requestTimeoutSec: integer('request_timeout_sec').notNull()
});

export const users = sqliteTable('users', {
	id: text('id').primaryKey(),
	email: text('email').notNull().unique(),
	name: text('name').notNull(),
	role: text('role', { enum: ['agent', 'supervisor', 'admin', 'auditor'] }).notNull(),
	passwordHash: text('password_hash').notNull(),
	/** JSON array of permission names, e.g. ["customize_application"]. */
	permissions: text('permissions', { mode: 'json' }).$type<string[]>().notNull(),
	skills: text('skills', { mode: 'json' }).$type<string[]>().notNull(),
	capacity: integer('capacity').notNull().default(0),
	presence: text('presence', { enum: ['available', 'busy', 'offline'] }).notNull().default('offline'),
	chatConfigurationId: text('chat_configuration_id').references(() => chatConfigurations.id),
	lastAssignedAt: integer('last_assigned_at').notNull().default(0),
	/** Issue 16: an admin may deactivate a user: no sign-in, no chats. */
	active: integer('active', { mode: 'boolean' }).notNull().default(true)
});

export const sessions = sqliteTable(
	'sessions',
	{
		/** SHA-256 of the token, hex: the token itself is never stored. */
		id: text('id').primaryKey(),
		userId: text('user_id').notNull().references(() => users.id),
		expiresAt: integer('expires_at').notNull()
	},
	(t) => [index('sessions_user').on(t.userId)]
);

export const topics = sqliteTable('topics', {
	id: text('id').primaryKey(),
	name: text('name').notNull().unique(),
	skill: text('skill').notNull(),
	routing: text('routing', { enum: ['omni', 'button'] }).notNull(),
	/** B8: when agents answer this topic (src/lib/core/hours.ts BusinessHours); null = always. */
	hours: text('hours', { mode: 'json' }).$type<BusinessHours>()
});

export const customers = sqliteTable('customers', {
	id: text('id').primaryKey(),
	email: text('email').notNull().unique(),
	name: text('name').notNull()
});

export const chats = sqliteTable(
	'chats',
	{
		id: text('id').primaryKey(),
		topicId: text('topic_id').notNull().references(() => topics.id),
		skill: text('skill').notNull(),
		routing: text('routing', { enum: ['omni', 'button'] }).notNull(),
		customerId: text('customer_id').notNull().references(() => customers.id),
		customerName: text('customer_name').notNull(),
		/** SHA-256 of the customer's per-chat token, hex. */
		customerTokenHash: text('customer_token_hash').notNull().unique(),
		status: text('status', { enum: ['waiting', 'active', 'ended'] }).notNull(),
		originatingAgentId: text('originating_agent_id').references(() => users.id),
		createdAt: integer('created_at').notNull(),
		endedAt: integer('ended_at'),
		/**
		 * How the customer's identity behind this chat is known (T4): `new` (first chat with its
		 * email), `token` (started from a browser holding a proven chat's token of that customer),
		 * `signed` (the embedding site signed it), `confirmed` (the customer confirmed the email),
		 * `claimed` (an existing email was typed; unproven: no history is shown for it).
		 */
		identity: text('identity', { enum: ['new', 'token', 'signed', 'confirmed', 'claimed'] }).notNull().default('claimed'),
		/** A keyed hash of the address the chat was started from (T3 per-address limits, fair queue). */
		sourceKey: text('source_key'),
		/** B8: when the customer left a message (nobody was available); null for a live chat. */
		leftMessageAt: integer('left_message_at'),
		/** B8: where the agents' replies and the transcript are emailed (a left message's email). */
		replyEmail: text('reply_email'),
		/** B8: the time (`at`) of the last agent message already emailed to `reply_email`. */
		mailedUpTo: integer('mailed_up_to'),
		/** B8: how many transcripts were emailed on the customer's request (limited). */
		transcriptMails: integer('transcript_mails').notNull().default(0),
		/** B8: the `meta.queue` last written to the chat's document (so unchanged ones are not rewritten). */
		queueStatus: text('queue_status', { mode: 'json' }).$type<QueueStatus>()
	},
	(t) => [
		index('chats_status').on(t.status),
		index('chats_customer').on(t.customerId),
		index('chats_source').on(t.sourceKey, t.createdAt),
		// T3: the limit on chats started by everyone reads the newest chats.
		index('chats_created').on(t.createdAt)
	]
);

export const chatParticipants = sqliteTable(
	'chat_participants',
	{
		chatId: text('chat_id').notNull().references(() => chats.id),
		userId: text('user_id').notNull(),
		role: text('role', { enum: ['customer', 'agent'] }).notNull(),
		joinedAt: integer('joined_at').notNull(),
		leftAt: integer('left_at')
	},
	(t) => [primaryKey({ columns: [t.chatId, t.userId] }), index('participants_user').on(t.userId)]
);

/** Offers of a waiting chat to agents (L1); one row per agent offered. */
export const chatOffers = sqliteTable(
	'chat_offers',
	{
		id: text('id').primaryKey(),
		chatId: text('chat_id').notNull().references(() => chats.id),
		agentId: text('agent_id').notNull().references(() => users.id),
		status: text('status', { enum: ['pending', 'accepted', 'declined', 'withdrawn'] }).notNull(),
		at: integer('at').notNull()
	},
	(t) => [index('offers_chat').on(t.chatId), index('offers_agent').on(t.agentId)]
);

/** A1: every accepted update of every document, in order, attributed. Never rewritten. */
export const docUpdates = sqliteTable(
	'doc_updates',
	{
		doc: text('doc').notNull(),
		seq: integer('seq').notNull(),
		update: blob('update', { mode: 'buffer' }).notNull(),
		actor: text('actor').notNull(),
		at: integer('at').notNull()
	},
	(t) => [primaryKey({ columns: [t.doc, t.seq] })]
);

/** The whole state of a document at a seq, so loads do not replay long logs. */
export const docCheckpoints = sqliteTable(
	'doc_checkpoints',
	{
		doc: text('doc').notNull(),
		seq: integer('seq').notNull(),
		state: blob('state', { mode: 'buffer' }).notNull(),
		at: integer('at').notNull()
	},
	(t) => [primaryKey({ columns: [t.doc, t.seq] })]
);

/** Which user a Yjs clientID belongs to in a document: nobody may write as another's clientID. */
export const docClients = sqliteTable(
	'doc_clients',
	{
		doc: text('doc').notNull(),
		clientId: integer('client_id').notNull(),
		actor: text('actor').notNull()
	},
	(t) => [primaryKey({ columns: [t.doc, t.clientId] })]
);

/** Decisions of the authority, with who took them and when (A1). */
export const auditEvents = sqliteTable(
	'audit_events',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		chatId: text('chat_id'),
		actor: text('actor').notNull(),
		kind: text('kind').notNull(),
		data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
		at: integer('at').notNull()
	},
	(t) => [index('audit_chat').on(t.chatId)]
);


/** C2–C5, C15: a request to pull one more agent into a chat, and its outcome. */
export const conferenceRequests = sqliteTable(
	'conference_requests',
	{
		id: text('id').primaryKey(),
		kind: text('kind', { enum: ['conference', 'transfer'] }).notNull().default('conference'),
		chatId: text('chat_id').notNull().references(() => chats.id),
		requesterId: text('requester_id').notNull().references(() => users.id),
		targetAgentId: text('target_agent_id').references(() => users.id),
		targetSkill: text('target_skill'),
		status: text('status', { enum: ['pending', 'accepted', 'declined', 'cancelled', 'expired', 'withdrawn'] }).notNull(),
		createdAt: integer('created_at').notNull(),
		expiresAt: integer('expires_at').notNull(),
		decidedAt: integer('decided_at'),
		decidedBy: text('decided_by'),
		reason: text('reason'),
		/** Issue 16: the requester's optional note, shown on the offer card. */
		note: text('note')
	},
	(t) => [index('requests_chat').on(t.chatId), index('requests_status').on(t.status, t.expiresAt)]
);

/** Who a conference request was offered to, and whether each declined. */
export const conferenceOffers = sqliteTable(
	'conference_offers',
	{
		requestId: text('request_id').notNull().references(() => conferenceRequests.id),
		agentId: text('agent_id').notNull().references(() => users.id),
		declined: integer('declined', { mode: 'boolean' }).notNull().default(false),
		/** Issue 16: why this agent declined (optional), shown in the requester's banner. */
		declineReason: text('decline_reason')
	},
	(t) => [primaryKey({ columns: [t.requestId, t.agentId] }), index('conference_offers_agent').on(t.agentId)]
);

/** C11: records the team works from (contact, case, order); each names what is needed to see it. */
export const records = sqliteTable(
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

/** C12: records attached to a chat, with who attached and (once) removed them. */
export const chatRecords = sqliteTable(
	'chat_records',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		chatId: text('chat_id').notNull().references(() => chats.id),
		recordId: text('record_id').notNull().references(() => records.id),
		attachedBy: text('attached_by').notNull(),
		attachedAt: integer('attached_at').notNull(),
		removedBy: text('removed_by'),
		removedAt: integer('removed_at')
	},
	(t) => [index('chat_records_chat').on(t.chatId)]
);

/** C13: the record ids attached to a chat at the moment an agent joined it (its workspace). */
export const chatWorkspaces = sqliteTable(
	'chat_workspaces',
	{
		chatId: text('chat_id').notNull().references(() => chats.id),
		agentId: text('agent_id').notNull().references(() => users.id),
		recordIds: text('record_ids', { mode: 'json' }).$type<string[]>().notNull(),
		takenAt: integer('taken_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.chatId, t.agentId] })]
);

/**
 * B9: files uploaded into a chat (their bytes are in the blob store under `id`). A message refers
 * to them by id; `referenced_at` is set once one does, and unreferenced ones are swept.
 */
export const attachments = sqliteTable(
	'attachments',
	{
		id: text('id').primaryKey(),
		chatId: text('chat_id').notNull().references(() => chats.id),
		/** The actor id of the uploader (a customer's or a user's id): only it may reference the file. */
		uploadedBy: text('uploaded_by').notNull(),
		/** For whispers: never served to, nor referenced in a message of, the customer's document. */
		agentsOnly: integer('agents_only', { mode: 'boolean' }).notNull().default(false),
		name: text('name').notNull(),
		/** The type found in the content (the allowlist), never the one the client claimed. */
		type: text('type').notNull(),
		size: integer('size').notNull(),
		sha256: text('sha256').notNull(),
		createdAt: integer('created_at').notNull(),
		referencedAt: integer('referenced_at')
	},
	(t) => [index('attachments_chat').on(t.chatId), index('attachments_unreferenced').on(t.referencedAt, t.createdAt)]
);

/**
 * B7: embeddable widgets. `key` is public (in the site's snippet); `secret` signs the embedding
 * site's visitor identity (HMAC-SHA256), so it is kept as given out (the HMAC needs it) and shown
 * only once, in the answer that creates the widget. Origins and topic ids are JSON arrays.
 */
export const widgets = sqliteTable('widgets', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	key: text('key').notNull().unique(),
	secret: text('secret').notNull(),
	allowedOrigins: text('allowed_origins', { mode: 'json' }).$type<string[]>().notNull(),
	topics: text('topics', { mode: 'json' }).$type<string[]>().notNull(),
	greeting: text('greeting').notNull(),
	colour: text('colour').notNull(),
	createdAt: integer('created_at').notNull()
});

/** B8: the customer's rating of an ended chat: once per chat. */
export const chatRatings = sqliteTable('chat_ratings', {
	chatId: text('chat_id').primaryKey().references(() => chats.id),
	/** 1 to 5. */
	score: integer('score').notNull(),
	comment: text('comment').notNull(),
	at: integer('at').notNull()
});

/** Issue 16: canned replies; `owner_id` null for a team-wide one (admin-managed), else the agent's own. */
export const cannedReplies = sqliteTable(
	'canned_replies',
	{
		id: text('id').primaryKey(),
		ownerId: text('owner_id').references(() => users.id),
		title: text('title').notNull(),
		body: text('body').notNull(),
		createdAt: integer('created_at').notNull(),
		updatedAt: integer('updated_at').notNull()
	},
	(t) => [index('canned_replies_owner').on(t.ownerId)]
);
