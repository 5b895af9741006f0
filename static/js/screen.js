// The projector's screen (templates/committees/vote_screen.html): a button that fills the
// screen, shown only where the browser can do it. No inline script: the CSP forbids it.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-fullscreen]");
  if (!button || !document.fullscreenEnabled) return;
  button.hidden = false;
  button.addEventListener("click", () => document.documentElement.requestFullscreen());
});
