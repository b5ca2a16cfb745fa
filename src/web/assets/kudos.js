// Kudos without a page reload. Without this script the kudos form posts and the page comes back with
// a notice; with it, the same request asks for JSON and the list of who left kudos updates in place.

/** The sentence the server writes too: "ann, bo and 3 guests left kudos on this work!" */
function renderKudos(list, kudos) {
  const parts = kudos.users.map((user) => {
    const link = document.createElement('a');
    link.href = user.url;
    link.textContent = user.username;
    return link;
  });
  const count = (n, one, many) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
  if (kudos.more_users > 0) parts.push(count(kudos.more_users, 'more user', 'more users'));
  if (kudos.guests > 0) parts.push(count(kudos.guests, 'guest', 'guests'));
  list.replaceChildren();
  if (parts.length === 0) return;
  parts.forEach((part, index) => {
    if (index > 0) list.append(index === parts.length - 1 ? ' and ' : ', ');
    list.append(part);
  });
  list.append(' left kudos on this work!');
}

document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-kudos-form')) return;
  event.preventDefault();
  const button = form.querySelector('button');
  const message = form.querySelector('[data-kudos-message]');
  const list = form.closest('.kudos')?.querySelector('[data-kudos-list]');
  const body = new URLSearchParams(new FormData(form));
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
        'x-csrf-token': body.get('_csrf') ?? '',
      },
      body,
      credentials: 'same-origin',
    });
    const answer = await response.json();
    if (response.ok) {
      if (list) renderKudos(list, answer);
      message.textContent = answer.message;
    } else {
      message.textContent = answer.error?.message ?? 'Sorry, your kudos could not be left. Please try again.';
    }
  } catch {
    // Offline or an unexpected answer: the plain form still works.
    form.submit();
  } finally {
    button.disabled = false;
  }
});
