// converse-upload-driver.js - Converse.js sends a file (XEP-0363 HTTP File Upload), for
// ConverseUploadTest through converse-scenario.sh: the file goes in through the chat toolbar's
// file input (the paperclip), as a user picks it; Converse asks the upload service for a slot,
// PUTs the file from the page's origin (a CORS preflight first), and sends the GET URL.
//
// Env: those of converse-page.js, and XMPP_PEER (the recipient), UPLOAD_FILE (path of the
// bytes), UPLOAD_NAME (the name the browser gives the file), UPLOAD_TYPE (its media type).
// Prints: UPLOADED get-url (the message with it was sent), SHOWN wxh (an image, once the chat
// shows it), OK / FAIL why.
'use strict';
const fs = require('fs');
const { runConverse, out } = require('./converse-page');

const E = process.env;

runConverse(async (page, left) => {
  await page.evaluate(async peer => {
    window.__chat = await window.__api.chats.open(peer, {}, true);
  }, E.XMPP_PEER);
  // The toolbar offers the file input once disco found an upload service (XEP-0363 §3).
  const input = page.locator('input.fileupload').first();
  await input.waitFor({ state: 'attached', timeout: left() });
  await input.setInputFiles({ name: E.UPLOAD_NAME, mimeType: E.UPLOAD_TYPE, buffer: fs.readFileSync(E.UPLOAD_FILE) });
  // Converse replaces the upload's placeholder by a message whose body and oob_url are the GET URL;
  // a failed slot request or PUT becomes an error message instead.
  const sent = await page.waitForFunction(() => {
    const models = window.__chat.messages.models;
    const error = models.find(m => m.get('type') === 'error');
    if (error) return { error: error.get('message') || error.get('error') || 'an error message' };
    const done = models.find(m => m.get('sender') === 'me' && m.get('oob_url') && !m.get('file'));
    return done ? { url: done.get('oob_url') } : null;
  }, null, { timeout: left() }).then(h => h.jsonValue());
  if (sent.error) throw new Error('Converse shows: ' + sent.error);
  out('UPLOADED', sent.url);
  // A picture is shown in the chat: the browser GETs it from the page, across origins.
  if (E.UPLOAD_TYPE.startsWith('image/')) {
    const size = await page.waitForFunction(url => {
      const img = [...document.querySelectorAll('img.chat-image')].find(i => i.src === url);
      return img && img.complete && img.naturalWidth > 0 ? `${img.naturalWidth}x${img.naturalHeight}` : null;
    }, sent.url, { timeout: left() }).then(h => h.jsonValue());
    out('SHOWN', size);
  }
}).catch(e => { out('FAIL', e.message); process.exit(1); });
