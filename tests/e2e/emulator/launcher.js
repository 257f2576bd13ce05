#!/usr/bin/env node
// Starts the `telegram-test-api` emulator for the end-to-end tests and patches the gaps that
// python-telegram-bot v22 trips over (see tests/e2e/telegram_emulator.py for the Python side).
//
//   node tests/e2e/emulator/launcher.js --port 9123 [--bot-username TestNameBot] [--exit-with-stdin]
//
// Prints exactly one stdout line, `READY <port>`, once it listens on 127.0.0.1; exits cleanly on
// SIGTERM/SIGINT (and when stdin closes with --exit-with-stdin, so a crashed test run cannot
// leave an orphan server behind). Set DEBUG=TelegramServer:* for the emulator's own logging.
//
// Our routes live in an outer Express app that is mounted in front of the emulator's app, so
// every route defined here wins over the emulator's; anything not handled here falls through.
'use strict';

const path = require('path');
const crypto = require('crypto');
const { EventEmitter } = require('events');
const TelegramServer = require('telegram-test-api');
// Use the Express copy the emulator itself depends on (not a hoisting accident).
const express = require(require.resolve('express', {
  paths: [path.dirname(require.resolve('telegram-test-api'))],
}));

const MAX_TEXT_CHARS = 4096; // Bot API limit for message text after entity parsing.
const MAX_GETFILE_BYTES = 20 * 1024 * 1024; // Bot API limit for getFile downloads.
const MAX_LOG = 2000; // bound on the per-token logs kept for the tests.
const JSON_PARAMS = ['reply_markup', 'entities', 'reply_parameters', 'link_preview_options',
  'commands', 'scope', 'menu_button', 'caption_entities'];
const CHAT_ACTIONS = new Set(['typing', 'upload_photo', 'record_video', 'upload_video',
  'record_voice', 'upload_voice', 'upload_document', 'choose_sticker', 'find_location',
  'record_video_note', 'upload_video_note']);
// Methods PTB (or a bot's post_init) calls that only need an acknowledgement here.
const TRUE_METHODS = ['setChatMenuButton', 'setMyDescription', 'setMyShortDescription',
  'setMyName', 'setMyDefaultAdministratorRights', 'setMessageReaction', 'pinChatMessage',
  'unpinChatMessage', 'unpinAllChatMessages', 'logOut', 'close'];
const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span',
  'tg-spoiler', 'a', 'tg-emoji', 'code', 'pre', 'blockquote']);

function parseArgs(argv) {
  const args = { port: 0, botUsername: 'TestNameBot', exitWithStdin: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') args.port = Number(argv[++i]);
    else if (argv[i] === '--bot-username') args.botUsername = String(argv[++i]);
    else if (argv[i] === '--exit-with-stdin') args.exitWithStdin = true;
    else throw new Error(`unknown argument: ${argv[i]}`);
  }
  // The emulator turns port 0 into 9000, so a real port is required.
  if (!Number.isInteger(args.port) || args.port <= 0) throw new Error('--port N is required');
  return args;
}

const args = parseArgs(process.argv.slice(2));
// Long storeTimeout: the emulator otherwise forgets messages after 60 s, which would break
// edits of old messages in a long test session.
const server = new TelegramServer({ port: args.port, host: '127.0.0.1', storeTimeout: 86400 });
const bus = new EventEmitter(); // `update:<token>`, `bot:<token>`, `shutdown`
bus.setMaxListeners(0);

// ---- state kept next to the emulator's own storage ----------------------------------------
const chats = new Map(); // chat id -> Chat object, filled by the simulated users
const userMessages = new Map(); // `${token}|${chatId}|${messageId}` -> message as delivered
const confirmedBelow = new Map(); // token -> lowest update_id not yet confirmed by `offset`
const botEvents = new Map(); // token -> [{seq, chatId, message}] (sends and edits)
const chatActions = new Map(); // token -> [{chat_id, action, date}]
const calls = new Map(); // token -> [{method, params}]
const commands = new Map(); // token -> BotCommand[]
const files = new Map(); // file_id -> {file_path, bytes, mime_type, ...}
const webhooks = new Map(); // token -> {url, secret_token}
const webhookDeliveries = new Map(); // token -> the last update POSTed to its webhook
let eventSeq = 0;
let fileSeq = 0;
let shuttingDown = false;

const nowSec = () => Math.floor(Date.now() / 1000);
const toSec = (t) => (t > 1e11 ? Math.floor(t / 1000) : t); // the emulator stores milliseconds
const params = (req) => ({ ...req.query, ...req.body });
const ok = (res, result) => res.json({ ok: true, result });
const fail = (res, code, description) => res.status(code).json({ ok: false, error_code: code,
  description });

function pushBounded(map, key, item) {
  if (!map.has(key)) map.set(key, []);
  const list = map.get(key);
  list.push(item);
  if (list.length > MAX_LOG) list.splice(0, list.length - MAX_LOG);
}

// PTB sends every non-string parameter JSON-encoded inside a form body.
function parseJson(value) {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return value;
  try { return JSON.parse(t); } catch (_e) { return value; }
}

function botUser(token) {
  // Like Telegram: the bot id is the numeric prefix of its token.
  const id = Number(String(token).split(':')[0]);
  return { id: Number.isSafeInteger(id) && id > 0 ? id : 666, is_bot: true,
    first_name: 'Test Bot', username: args.botUsername };
}

function chatFor(chatId) {
  const known = chats.get(Number(chatId));
  if (known) return known;
  return Number(chatId) < 0 ? { id: Number(chatId), type: 'group', title: 'Group' }
    : { id: Number(chatId), type: 'private', first_name: 'User' };
}

function findBotMessage(token, chatId, messageId) {
  return server.storage.botMessages.find((u) => u.botToken === token
    && String(u.message.chat_id) === String(chatId) && u.messageId === Number(messageId));
}

// A stored bot message rendered as the Bot API `Message` Telegram would return.
function botMessageView(stored, nested = false) {
  const m = stored.message;
  const chatId = Number(m.chat_id);
  const view = { message_id: stored.messageId, from: botUser(stored.botToken),
    chat: chatFor(chatId), date: toSec(stored.time) };
  if (stored.editDate) view.edit_date = stored.editDate;
  if (m.text !== undefined) view.text = String(m.text);
  if (m.document) view.document = m.document;
  if (m.caption !== undefined) view.caption = String(m.caption);
  const entities = parseJson(m.entities);
  if (Array.isArray(entities)) view.entities = entities;
  const markup = parseJson(m.reply_markup);
  if (markup && markup.inline_keyboard) view.reply_markup = markup;
  const rp = parseJson(m.reply_parameters);
  const replyId = Number((rp && rp.message_id) || m.reply_to_message_id);
  if (replyId && !nested) {
    const original = userMessages.get(`${stored.botToken}|${chatId}|${replyId}`);
    const bot = original ? null : findBotMessage(stored.botToken, chatId, replyId);
    if (original) view.reply_to_message = { ...original, reply_to_message: undefined };
    else if (bot) view.reply_to_message = botMessageView(bot, true);
  }
  return view;
}

function recordBotEvent(stored) {
  const message = botMessageView(stored);
  // parse_mode is not part of a Bot API Message, but tests want to check formatting choices.
  if (stored.message.parse_mode) message.parse_mode = stored.message.parse_mode;
  // Likewise a reply keyboard (or its removal / force_reply) is not echoed in a Message.
  const markup = parseJson(stored.message.reply_markup);
  if (markup && !markup.inline_keyboard) message.reply_keyboard = markup;
  pushBounded(botEvents, stored.botToken, { seq: ++eventSeq, chatId: message.chat.id, message });
  bus.emit(`bot:${stored.botToken}`);
}

// ---- validation that mirrors real Bot API errors, so bugs surface here, not in production ---
function visibleHtml(text) {
  // Returns [error, visibleText]; rejects what Telegram's HTML parser rejects.
  const stack = [];
  let visible = '';
  let i = 0;
  const at = () => `at byte offset ${Buffer.byteLength(text.slice(0, i))}`;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '<') {
      const m = /^<(\/?)([a-zA-Z][\w-]*)([^<>]*)>/.exec(text.slice(i));
      if (!m) return [`can't parse entities: unexpected '<' ${at()}`, ''];
      const [whole, closing, rawName] = m;
      const name = rawName.toLowerCase();
      if (!HTML_TAGS.has(name)) return [`can't parse entities: unsupported start tag "${name}" ${at()}`, ''];
      if (closing) {
        const open = stack.pop();
        if (open !== name) return [`can't parse entities: unmatched end tag ${at()}, expected "</${open}>", found "</${name}>"`, ''];
      } else {
        stack.push(name);
      }
      i += whole.length;
    } else if (ch === '&') {
      const m = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/.exec(text.slice(i));
      visible += m ? '_' : '&';
      i += m ? m[0].length : 1;
    } else {
      visible += ch;
      i += 1;
    }
  }
  if (stack.length) return [`can't parse entities: can't find end tag corresponding to start tag "${stack.pop()}"`, ''];
  return [null, visible];
}

function checkText(text, parseMode) {
  if (text === undefined || String(text).trim() === '') return 'Bad Request: message text is empty';
  let visible = String(text);
  const mode = String(parseMode || '').toLowerCase();
  if (mode === 'html') {
    const [error, plain] = visibleHtml(visible);
    if (error) return `Bad Request: ${error}`;
    visible = plain;
  }
  // Markdown modes are not parsed here, so their length is not checked (it would overcount).
  if (!mode.startsWith('markdown') && [...visible].length > MAX_TEXT_CHARS) {
    return 'Bad Request: message is too long';
  }
  return null;
}

// multipart/form-data (how PTB uploads files): {fields, files: {name: {filename, type, bytes}}}.
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseMultipart(body, contentType) {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType || '');
  if (!m) return null;
  const boundary = Buffer.from(`--${m[1] || m[2]}`);
  const fields = {};
  const files = {};
  let at = body.indexOf(boundary);
  while (at !== -1) {
    at += boundary.length;
    if (body.slice(at, at + 2).toString() === '--') break;
    at += 2; // CRLF after the boundary
    const headerEnd = body.indexOf('\r\n\r\n', at);
    const next = body.indexOf(boundary, headerEnd);
    if (headerEnd === -1 || next === -1) return null;
    const headers = body.slice(at, headerEnd).toString('utf8');
    const content = body.slice(headerEnd + 4, next - 2); // without the CRLF before the boundary
    const name = (/name="([^"]*)"/i.exec(headers) || [])[1];
    const filename = /filename="([^"]*)"/i.exec(headers);
    if (name && filename) {
      const type = (/content-type:\s*([^\r\n]+)/i.exec(headers) || [])[1];
      files[name] = { filename: filename[1], type: type || 'application/octet-stream', bytes: content };
    } else if (name) {
      fields[name] = content.toString('utf8');
    }
    at = next;
  }
  return { fields, files };
}

function checkMarkup(markup) {
  if (!markup || !markup.inline_keyboard) return null;
  for (const row of markup.inline_keyboard) {
    for (const button of row) {
      if ('callback_data' in button) {
        const size = Buffer.byteLength(String(button.callback_data));
        if (size < 1 || size > 64) return 'Bad Request: BUTTON_DATA_INVALID';
      }
    }
  }
  return null;
}

// ---- the emulator itself: patches on its objects --------------------------------------------
// Updates reach the bot through this static method (getUpdates and webhooks alike).
const originalFormatUpdate = TelegramServer.formatUpdate;
TelegramServer.formatUpdate = (update) => {
  const formatted = originalFormatUpdate(update);
  if (formatted.message) {
    const { botToken, ...message } = formatted.message;
    // A reply carries the replied-to message as the emulator knows it, not the test's copy.
    const replied = message.reply_to_message;
    if (replied && replied.chat) {
      const stored = findBotMessage(update.botToken, replied.chat.id, replied.message_id);
      if (stored) message.reply_to_message = botMessageView(stored, true);
    }
    formatted.message = message;
  }
  const query = formatted.callback_query;
  if (query) {
    // PTB requires chat_instance; the message should be the bot message as it is now.
    const msg = query.message || {};
    const chatId = msg.chat ? msg.chat.id : undefined;
    query.chat_instance = `ci${chatId}`;
    const stored = findBotMessage(update.botToken, chatId, msg.message_id);
    if (stored) query.message = botMessageView(stored);
  }
  return formatted;
};

// Wake up long-polling getUpdates calls as soon as a user update is stored.
// With a webhook set (setWebhook below), the update is POSTed to the bot instead, carrying
// the secret token in X-Telegram-Bot-Api-Secret-Token as Telegram does (the emulator's own
// delivery sends no such header). A refusal (e.g. 403) fails the client's request.
const originalAddUserUpdate = server.addUserUpdate.bind(server);
server.addUserUpdate = async (update) => {
  const webhook = webhooks.get(update.botToken);
  if (!webhook) {
    const done = originalAddUserUpdate(update);
    bus.emit(`update:${update.botToken}`);
    return done;
  }
  const formatted = TelegramServer.formatUpdate(update);
  const headers = { 'Content-Type': 'application/json' };
  if (webhook.secret_token) headers['X-Telegram-Bot-Api-Secret-Token'] = webhook.secret_token;
  const response = await fetch(webhook.url, { method: 'POST', headers,
    body: JSON.stringify(formatted) });
  if (!response.ok) throw new Error(`webhook ${webhook.url} answered HTTP ${response.status}`);
  server.updateId++;
  webhookDeliveries.set(update.botToken, formatted);
  return undefined;
};

function pendingUpdates(token, limit) {
  const floor = confirmedBelow.get(token) || 0;
  return server.storage.userMessages
    .filter((u) => u.botToken === token && u.updateId >= floor)
    .sort((a, b) => a.updateId - b.updateId)
    .slice(0, limit);
}

function confirm(token, offset) {
  if (offset > (confirmedBelow.get(token) || 0)) confirmedBelow.set(token, offset);
}

// Waits until `ready()` is non-empty, `seconds` pass, the client hangs up or we shut down.
function longPoll(req, res, eventName, seconds, ready) {
  const first = ready();
  if (first.length || seconds <= 0 || shuttingDown) {
    ok(res, first);
    return;
  }
  let finished = false;
  const finish = (send) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    bus.off(eventName, onEvent);
    bus.off('shutdown', onShutdown);
    if (send) ok(res, ready());
  };
  const onEvent = () => { if (ready().length) finish(true); };
  const onShutdown = () => finish(true);
  const timer = setTimeout(() => finish(true), seconds * 1000);
  bus.on(eventName, onEvent);
  bus.on('shutdown', onShutdown);
  res.on('close', () => finish(false)); // PTB cancels its poll when the app stops
}

// ---- routes for the bot (Bot API) -----------------------------------------------------------
function botRoutes(app) {
  // Record every Bot API call so tests can assert on e.g. answerCallbackQuery or setMyCommands.
  app.all('/bot:token/:method', (req, _res, next) => {
    pushBounded(calls, req.params.token, { method: req.params.method, params: params(req) });
    next();
  });

  app.all('/bot:token/getMe', (req, res) => ok(res, { ...botUser(req.params.token),
    can_join_groups: true, can_read_all_group_messages: true, supports_inline_queries: false }));

  app.all('/bot:token/getUpdates', (req, res) => {
    const { token } = req.params;
    const p = params(req);
    const offset = Number(p.offset || 0);
    const limit = Math.min(Math.max(Number(p.limit) || 100, 1), 100);
    if (offset < 0) {
      const all = pendingUpdates(token, Infinity);
      const kept = all.slice(offset);
      if (kept.length) confirm(token, kept[0].updateId);
    } else {
      confirm(token, offset); // updates below offset are confirmed and forgotten
    }
    const ready = () => pendingUpdates(token, limit).map((u) => {
      u.isRead = true; // keeps the emulator's own bookkeeping consistent
      return TelegramServer.formatUpdate(u);
    });
    longPoll(req, res, `update:${token}`, Number(p.timeout || 0), ready);
  });

  app.all('/bot:token/setWebhook', (req, res) => {
    const p = params(req);
    if (!p.url) return fail(res, 400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    webhooks.set(req.params.token, { url: String(p.url), secret_token: p.secret_token });
    return ok(res, true);
  });

  app.all('/bot:token/deleteWebhook', (req, res) => {
    const { token } = req.params;
    server.deleteWebhook(token);
    webhooks.delete(token);
    const drop = String(params(req).drop_pending_updates) === 'true';
    if (drop) confirm(token, server.updateId); // every update so far is older than this id
    ok(res, true);
  });

  app.all('/bot:token/getWebhookInfo', (req, res) => ok(res, {
    url: (webhooks.get(req.params.token) || { url: '' }).url,
    has_custom_certificate: false,
    pending_update_count: pendingUpdates(req.params.token, Infinity).length }));

  app.all('/bot:token/sendMessage', (req, res) => {
    const { token } = req.params;
    const p = params(req);
    const message = { ...p, chat_id: String(p.chat_id) };
    for (const key of JSON_PARAMS) if (key in message) message[key] = parseJson(message[key]);
    if (p.chat_id === undefined || p.chat_id === '') return fail(res, 400, 'Bad Request: chat_id is empty');
    if (!chats.has(Number(p.chat_id))) return fail(res, 400, 'Bad Request: chat not found');
    const error = checkText(message.text, message.parse_mode) || checkMarkup(message.reply_markup);
    if (error) return fail(res, 400, error);
    server.addBotMessage(message, token);
    const stored = server.storage.botMessages[server.storage.botMessages.length - 1];
    recordBotEvent(stored);
    return ok(res, botMessageView(stored)); // `date` in seconds, proper chat and sender
  });

  // Both edits return the edited Message (the emulator returned null) and, like Telegram,
  // drop the inline keyboard when the edit carries no reply_markup.
  const edit = (withText) => (req, res) => {
    const { token } = req.params;
    const p = params(req);
    if (p.inline_message_id) return ok(res, true);
    const stored = findBotMessage(token, p.chat_id, p.message_id);
    if (!stored) return fail(res, 400, 'Bad Request: message to edit not found');
    const next = { ...stored.message, reply_markup: parseJson(p.reply_markup) };
    if (withText) {
      Object.assign(next, { text: p.text, entities: parseJson(p.entities),
        parse_mode: p.parse_mode });
    }
    const error = (withText && checkText(next.text, next.parse_mode)) || checkMarkup(next.reply_markup);
    if (error) return fail(res, 400, error);
    const content = (m) => JSON.stringify([m.text, m.entities, m.parse_mode, m.reply_markup]);
    if (content(next) === content(stored.message)) {
      return fail(res, 400, 'Bad Request: message is not modified: specified new message content'
        + ' and reply markup are exactly the same as a current content and reply markup of the message');
    }
    stored.message = next;
    stored.editDate = nowSec();
    server.emit(withText ? 'EditedMessageText' : 'EditedMessageReplyMarkup');
    recordBotEvent(stored);
    return ok(res, botMessageView(stored));
  };
  app.all('/bot:token/editMessageText', edit(true));
  app.all('/bot:token/editMessageReplyMarkup', edit(false));

  app.all('/bot:token/sendChatAction', (req, res) => {
    const p = params(req);
    if (!chats.has(Number(p.chat_id))) return fail(res, 400, 'Bad Request: chat not found');
    if (!CHAT_ACTIONS.has(p.action)) return fail(res, 400, 'Bad Request: wrong parameter action in request');
    pushBounded(chatActions, req.params.token, { chat_id: Number(p.chat_id), action: p.action,
      date: nowSec() });
    return ok(res, true);
  });

  // The bot sends a file (a new upload, or a file_id it got before); the message carries the
  // `document`, and the file can be fetched like an upload (getFile + /file/bot...).
  app.all('/bot:token/sendDocument', async (req, res) => {
    const { token } = req.params;
    let p = params(req);
    let upload = null;
    if (String(req.headers['content-type'] || '').startsWith('multipart/form-data')) {
      const parsed = parseMultipart(await readBody(req), req.headers['content-type']);
      if (!parsed) return fail(res, 400, 'Bad Request: malformed multipart body');
      p = { ...p, ...parsed.fields };
      upload = parsed.files.document || null;
      const logged = (calls.get(token) || []).slice(-1)[0]; // recorded before the body was read
      if (logged && logged.method === 'sendDocument') {
        logged.params = { ...p, document: upload ? { file_name: upload.filename,
          size: upload.bytes.length } : p.document };
      }
    }
    if (!chats.has(Number(p.chat_id))) return fail(res, 400, 'Bad Request: chat not found');
    let document;
    if (upload) {
      const n = ++fileSeq;
      const ext = path.extname(upload.filename).slice(0, 16);
      const file = { file_id: `BOTDOC${n}-${crypto.randomBytes(8).toString('hex')}`,
        file_unique_id: `B${n}`, file_path: `documents/bot_${n}${ext}`, bytes: upload.bytes,
        mime_type: upload.type };
      files.set(file.file_id, file);
      document = { file_id: file.file_id, file_unique_id: file.file_unique_id,
        file_name: upload.filename, mime_type: file.mime_type, file_size: upload.bytes.length };
    } else {
      const file = files.get(String(p.document || ''));
      if (!file) return fail(res, 400, 'Bad Request: there is no document in the request');
      document = { file_id: file.file_id, file_unique_id: file.file_unique_id,
        mime_type: file.mime_type, file_size: file.bytes.length };
    }
    if (p.caption !== undefined) {
      const mode = String(p.parse_mode || '').toLowerCase();
      const [error, visible] = mode === 'html' ? visibleHtml(String(p.caption)) : [null, String(p.caption)];
      if (error) return fail(res, 400, `Bad Request: ${error}`);
      if ([...visible].length > 1024) return fail(res, 400, 'Bad Request: message caption is too long');
    }
    const message = { chat_id: String(p.chat_id), document, caption: p.caption,
      parse_mode: p.parse_mode, reply_markup: parseJson(p.reply_markup) };
    if (message.reply_markup === undefined) delete message.reply_markup;
    if (message.caption === undefined) delete message.caption;
    const error = checkMarkup(message.reply_markup);
    if (error) return fail(res, 400, error);
    server.addBotMessage(message, token);
    const stored = server.storage.botMessages[server.storage.botMessages.length - 1];
    recordBotEvent(stored);
    return ok(res, botMessageView(stored));
  });

  app.all('/bot:token/answerCallbackQuery', (_req, res) => ok(res, true));
  app.all('/bot:token/setMyCommands', (req, res) => {
    commands.set(req.params.token, parseJson(params(req).commands) || []);
    ok(res, true);
  });
  app.all('/bot:token/deleteMyCommands', (req, res) => {
    commands.delete(req.params.token);
    ok(res, true);
  });
  app.all('/bot:token/getMyCommands', (req, res) => ok(res, commands.get(req.params.token) || []));
  app.all('/bot:token/getChatMenuButton', (_req, res) => ok(res, { type: 'commands' }));
  for (const method of TRUE_METHODS) app.all(`/bot:token/${method}`, (_req, res) => ok(res, true));

  app.all('/bot:token/getFile', (req, res) => {
    const file = files.get(String(params(req).file_id));
    if (!file) return fail(res, 400, 'Bad Request: invalid file_id');
    if (file.bytes.length > MAX_GETFILE_BYTES) return fail(res, 400, 'Bad Request: file is too big');
    return ok(res, { file_id: file.file_id, file_unique_id: file.file_unique_id,
      file_size: file.bytes.length, file_path: file.file_path });
  });
  // What PTB fetches when built with .base_file_url(f"{url}/file/bot").
  app.get('/file/bot:token/*', (req, res) => {
    const file = [...files.values()].find((f) => f.file_path === req.params[0]);
    if (!file) return fail(res, 404, 'Not Found');
    return res.type(file.mime_type).send(file.bytes);
  });

  // The emulator's deleteMessage answers `result: null` (PTB expects true) and can remove a
  // callback query that shares the message id instead of the message. A deleted user message
  // stays in the update queue: on Telegram, deleting never takes back a sent update.
  app.all('/bot:token/deleteMessage', (req, res) => {
    const { token } = req.params;
    const p = params(req);
    const key = `${token}|${Number(p.chat_id)}|${Number(p.message_id)}`;
    const stored = findBotMessage(token, p.chat_id, p.message_id);
    if (stored) server.removeBotMessage(stored.updateId);
    else if (userMessages.has(key)) userMessages.delete(key);
    else return fail(res, 400, 'Bad Request: message to delete not found');
    return ok(res, true);
  });

  // Anything else gets a clear error (the emulator answers 500 without a description, which
  // PTB reports as "Unknown HTTPError").
  app.all('/bot:token/:method', (req, res) => {
    return fail(res, 400, `Bad Request: method ${req.params.method} is not supported by the e2e`
      + ' Telegram emulator (tests/e2e/emulator/launcher.js)');
  });
}

// ---- routes for the simulated users (client side) ------------------------------------------
// Stores a user message like the emulator's client routes, but answers with the update the
// bot will receive (the emulator answers null), so a test knows its message_id.
async function ingestMessage(body, store) {
  const token = body.botToken;
  if (!token) throw new Error('botToken is required');
  if (body.chat) chats.set(Number(body.chat.id), body.chat);
  const updateId = server.updateId;
  webhookDeliveries.delete(token);
  await store(body);
  const stored = server.storage.userMessages.find((u) => u.updateId === updateId);
  // Not stored when it was POSTed to the bot's webhook instead.
  const update = stored ? TelegramServer.formatUpdate(stored) : webhookDeliveries.get(token);
  if (!update) return null;
  if (update.message) {
    const m = update.message;
    userMessages.set(`${token}|${m.chat.id}|${m.message_id}`, m);
  }
  return update;
}

function clientRoutes(app) {
  const route = (url, store) => app.post(url, (req, res) => {
    ingestMessage(req.body, store).then((update) => ok(res, update))
      .catch((e) => fail(res, 400, String(e.message || e)));
  });
  route('/sendMessage', (m) => server.addUserMessage(m));
  route('/sendCommand', (m) => server.addUserCommand(m));
  route('/sendCallback', (m) => server.addUserCallback(m));

  // A user uploads a document: {botToken, from, chat, date, caption?, upload: {file_name,
  // mime_type, data_base64}} becomes a message with a `document` the bot can getFile.
  route('/e2e/sendDocument', (m) => {
    const { upload, ...message } = m;
    const bytes = Buffer.from(String(upload.data_base64 || ''), 'base64');
    const n = ++fileSeq;
    const ext = path.extname(String(upload.file_name || '')).slice(0, 16);
    const file = { file_id: `DOC${n}-${crypto.randomBytes(8).toString('hex')}`,
      file_unique_id: `U${n}`, file_path: `documents/file_${n}${ext}`, bytes,
      mime_type: upload.mime_type || 'application/octet-stream' };
    files.set(file.file_id, file);
    message.document = { file_id: file.file_id, file_unique_id: file.file_unique_id,
      file_name: upload.file_name, mime_type: file.mime_type, file_size: bytes.length };
    return server.addUserMessage(message);
  });

  // Makes a chat known, as if the user had started the bot before (needed for sendMessage).
  app.post('/e2e/registerChat', (req, res) => {
    chats.set(Number(req.body.chat.id), req.body.chat);
    ok(res, true);
  });

  // Bot messages and edits in a chat after `after` (a seq), long-polled for `timeout` seconds.
  // Without chatId: in every chat, so one poller can watch many simulated users (the load
  // benchmark, bot/telegram/benchmark.py) instead of one long poll per chat.
  app.post('/e2e/botMessages', (req, res) => {
    const { token, chatId } = req.body;
    const after = Number(req.body.after || 0);
    const anyChat = chatId === undefined || chatId === null;
    const ready = () => (botEvents.get(token) || [])
      .filter((e) => e.seq > after && (anyChat || String(e.chatId) === String(chatId)));
    longPoll(req, res, `bot:${token}`, Number(req.body.timeout || 0), ready);
  });

  app.post('/e2e/chatActions', (req, res) => ok(res, (chatActions.get(req.body.token) || [])
    .filter((a) => req.body.chatId === undefined || String(a.chat_id) === String(req.body.chatId))));

  app.post('/e2e/calls', (req, res) => ok(res, (calls.get(req.body.token) || [])
    .filter((c) => !req.body.method || c.method === req.body.method)));
}

// ---- start and stop -------------------------------------------------------------------------
async function main() {
  const outer = express();
  outer.disable('x-powered-by');
  // Parsed once here; the emulator's own parsers skip bodies that are already parsed.
  outer.use(express.json({ limit: '64mb' }));
  outer.use(express.urlencoded({ extended: true, limit: '64mb' }));
  botRoutes(outer);
  clientRoutes(outer);
  outer.use(server.webServer);
  server.webServer = outer; // start() builds its HTTP server from this property

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    shuttingDown = true;
    bus.emit('shutdown'); // answer pending long polls so the HTTP server can close
    setTimeout(() => process.exit(0), 3000).unref();
    try { await server.stop(); } finally { process.exit(0); }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (args.exitWithStdin) {
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
    process.stdin.resume();
  }

  await server.start();
  process.stdout.write(`READY ${args.port}\n`);
}

main().catch((error) => {
  process.stderr.write(`launcher failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
