// Files in a room's chat, over the server's REST API (server-stub/chat_files.h): sending one with
// its upload's progress, and fetching one (or a picture's thumbnail) with the member's session.
// The server decides everything (which files, how big, who may see them); this file only carries
// bytes and hands back its answers and stable error codes.
//
//   const { file } = await uploadChatFile({ server, token, roomCode, file, clientMsgId, onProgress });
//   const url = await chatFileUrl({ server, token, roomCode, fileId, thumbnail: true });
//
// Fetched files become blob: URLs, kept per call (a re-drawn chat list shows each without asking
// the server again) and let go with forgetChatFiles() when the call ends: the session's token never
// goes into an address an <img> or a download would leave in a history.
import { mehfilError } from './emitter.js';
import { resolveToken } from './rest-client.js';

// Uploads with XMLHttpRequest: fetch() reports no upload progress. Resolves {message_id, file}.
export async function uploadChatFile({ server, token, roomCode, file, clientMsgId, onProgress = () => {}, signal }) {
  const bearer = await resolveToken(token);
  const url = new URL(`/api/rooms/${roomCode}/files?name=${encodeURIComponent(file.name || 'file')}&client_msg_id=${clientMsgId}`, server);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.setRequestHeader('authorization', `Bearer ${bearer}`);
    request.setRequestHeader('content-type', file.type || 'application/octet-stream');
    request.upload.onprogress = (event) => { if (event.lengthComputable) onProgress(event.loaded / event.total); };
    request.onload = () => {
      let body = {};
      try { body = JSON.parse(request.responseText); } catch { /* a proxy's page */ }
      if (request.status === 200) return resolve(body);
      reject(mehfilError(body.error?.code ?? `http_${request.status}`, body.error?.message ?? `The server answered ${request.status}.`));
    };
    request.onerror = () => reject(mehfilError('connection_lost', 'The file could not be sent: check your connection and try again.'));
    request.onabort = () => reject(mehfilError('cancelled', 'The upload was cancelled.'));
    signal?.addEventListener('abort', () => request.abort());
    request.send(file);
  });
}

const urls = new Map();  // the file's path -> Promise of a blob: URL

// A blob: URL of the file (or its thumbnail), fetched once per call.
export function chatFileUrl({ server, token, roomCode, fileId, thumbnail = false }) {
  const path = `/api/rooms/${roomCode}/files/${fileId}${thumbnail ? '/thumbnail' : ''}`;
  if (!urls.has(path)) {
    const fetched = (async () => {
      const response = await fetch(new URL(path, server), { headers: { authorization: `Bearer ${await resolveToken(token)}` } });
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        throw mehfilError(body.error?.code ?? `http_${response.status}`, body.error?.message ?? 'The file could not be fetched.');
      }
      return URL.createObjectURL(await response.blob());
    })();
    fetched.catch(() => urls.delete(path));  // a failure is asked again next time
    urls.set(path, fetched);
  }
  return urls.get(path);
}

export function forgetChatFiles() {
  for (const url of urls.values()) url.then((u) => URL.revokeObjectURL(u), () => {});
  urls.clear();
}
