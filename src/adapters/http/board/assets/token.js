// The board is opened as /board?token=…: the token is read once, kept in sessionStorage (gone
// when the tab closes) and removed from the address bar so it is not left in history, on screen
// or in a screenshot of the wall.
const KEY = 'hotline-board-token';

export function takeToken() {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
  }
  return sessionStorage.getItem(KEY);
}

export function forgetToken() {
  sessionStorage.removeItem(KEY);
}
