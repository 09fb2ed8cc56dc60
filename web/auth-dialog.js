// The Sign in dialog on the home page: Log in, Create account (the guest's rooms, friends and calls
// in this browser come along: session.js sends the guest token) and Forgot your password (a link by
// email; the answer never says whether the address has an account). The server's refusals come with
// words meant for people (weak_password says why), so they are shown as they are.
import { logIn, register } from './session.js';
import { api, currentSession, wireDialog } from './site.js';

const $ = (id) => document.getElementById(id);

export function mountAuthDialog({ signedIn }) {
  const dialog = wireDialog($('auth-dialog'));
  const forms = { login: $('login-form'), register: $('register-form'), forgot: $('forgot-form') };
  const titles = { login: 'Sign in', register: 'Create your account', forgot: 'Reset your password' };

  function show(mode) {
    for (const [name, form] of Object.entries(forms)) {
      form.hidden = name !== mode;
      form.querySelector('.form-error').textContent = '';
    }
    $('auth-modes').hidden = mode === 'forgot';
    for (const name of ['login', 'register']) {
      const tab = $(`auth-tab-${name}`);
      tab.setAttribute('aria-selected', String(name === mode));
      tab.tabIndex = name === mode ? 0 : -1;
    }
    $('auth-title').textContent = titles[mode];
    $('register-note').hidden = !currentSession();  // a guest's things come along
    forms[mode].querySelector('input')?.focus();
  }
  $('auth-tab-login').addEventListener('click', () => show('login'));
  $('auth-tab-register').addEventListener('click', () => show('register'));
  $('auth-modes').addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const next = forms.login.hidden ? 'login' : 'register';
    show(next);
    $(`auth-tab-${next}`).focus();
  });
  for (const link of dialog.querySelectorAll('[data-mode]')) link.addEventListener('click', () => show(link.dataset.mode));

  // Runs `work` with the form's button busy; a refusal's words go under the form.
  async function submitting(form, busyLabel, work) {
    const button = form.querySelector('button[type="submit"]');
    const label = button.textContent;
    const error = form.querySelector('.form-error');
    error.textContent = '';
    button.disabled = true;
    button.textContent = busyLabel;
    try {
      await work();
    } catch (problem) {
      error.textContent = problem.message;
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  }

  forms.login.addEventListener('submit', (event) => {
    event.preventDefault();
    const { email, password } = forms.login.elements;
    if (!email.value.trim() || !password.value) {
      forms.login.querySelector('.form-error').textContent = 'Type your email and password.';
      return;
    }
    submitting(forms.login, 'Logging in…', async () => {
      const session = await logIn({ email: email.value.trim(), password: password.value });
      dialog.close();
      signedIn(session);
    });
  });

  forms.register.addEventListener('submit', (event) => {
    event.preventDefault();
    const { display_name: name, email, password } = forms.register.elements;
    if (!name.value.trim() || !email.value.trim() || !password.value) {
      forms.register.querySelector('.form-error').textContent = 'Fill in your name, email and a password.';
      return;
    }
    submitting(forms.register, 'Creating…', async () => {
      const session = await register({ email: email.value.trim(), displayName: name.value, password: password.value });
      dialog.close();
      signedIn(session);
    });
  });

  forms.forgot.addEventListener('submit', (event) => {
    event.preventDefault();
    const { email } = forms.forgot.elements;
    const ok = forms.forgot.querySelector('.form-ok');
    ok.textContent = '';
    if (!email.value.trim()) {
      forms.forgot.querySelector('.form-error').textContent = 'Type your account’s email.';
      return;
    }
    submitting(forms.forgot, 'Sending…', async () => {
      await api('POST', '/api/auth/reset-request', { email: email.value.trim() }, { auth: false });
      ok.textContent = `If an account has ${email.value.trim()}, a link is on its way. It works for one hour.`;
    });
  });

  return {
    open(mode = 'login') {
      dialog.showModal();
      show(mode);
    },
  };
}
