// The page the account emails link to (account.html): #verify=TOKEN confirms the address, #reset=TOKEN
// asks for a new password. The token sits after "#", so it never reaches a server log or a Referer;
// it is taken out of the address bar at once, so a shared screen or the history do not keep it.
import { api } from './site.js';

const $ = (id) => document.getElementById(id);
const [purpose, token] = location.hash.slice(1).split('=');
history.replaceState(null, '', location.pathname);

async function verify() {
  $('verify-card').hidden = false;
  try {
    await api('POST', '/api/auth/verify', { token }, { auth: false });
    $('verify-title').textContent = 'Your email is confirmed';
    $('verify-text').textContent = 'Thank you. Your account is all set.';
  } catch (problem) {
    $('verify-title').textContent = 'This link does not work';
    $('verify-text').textContent = problem.message;
  }
}

function reset() {
  const form = $('reset-form');
  form.hidden = false;
  form.elements.password.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = form.querySelector('.form-error');
    const button = form.querySelector('button');
    error.textContent = '';
    button.disabled = true;
    try {
      await api('POST', '/api/auth/reset', { token, password: form.elements.password.value }, { auth: false });
      form.hidden = true;
      $('reset-done').hidden = false;
    } catch (problem) {
      error.textContent = problem.message;
    } finally {
      button.disabled = false;
    }
  });
}

if (purpose === 'verify' && token) verify();
else if (purpose === 'reset' && token) reset();
else $('no-link').hidden = false;
document.body.dataset.ready = 'true';
