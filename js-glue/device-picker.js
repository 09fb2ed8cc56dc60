// Choosing a camera or a microphone: a labelled <select> of the devices the browser offers, the
// one in use chosen. The room page's preview and the call's "Camera and microphone" panel both use
// it, so the two list, name and pick devices the same way; what a pick does is theirs (the preview
// restarts with it, the call switches the track under every connection).
//
//   const picker = devicePicker('camera', { onPick: (deviceId) => ..., fieldClass, selectClass });
//   form.append(picker.element);
//   picker.fill((await listDevices()).cameras, deviceIdInUse);
import { el } from './dom.js';

const NOUNS = { camera: 'Camera', microphone: 'Microphone' };

// The cameras and microphones this browser offers, as {cameras, microphones}: [{deviceId, label}].
// Labels are empty until the page has been granted the camera or the microphone once.
export async function listDevices() {
  const all = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
  const list = (kind) => all.filter((d) => d.kind === kind).map((d) => ({ deviceId: d.deviceId, label: d.label }));
  return { cameras: list('videoinput'), microphones: list('audioinput') };
}

// kind: 'camera' or 'microphone'. fill(list, current) shows `list` with `current` (a deviceId)
// chosen; a device without a label is "Camera 2".
export function devicePicker(kind, { onPick, fieldClass = 'field', selectClass = '' }) {
  const noun = NOUNS[kind];
  const select = el('select', { className: selectClass });
  select.addEventListener('change', () => onPick(select.value));
  return {
    element: el('label', { className: fieldClass }, el('span', {}, noun), select),
    fill(list, current) {
      select.replaceChildren(...(list ?? []).map((d, i) =>
        el('option', { value: d.deviceId, selected: d.deviceId === current }, d.label || `${noun} ${i + 1}`)));
    },
  };
}
