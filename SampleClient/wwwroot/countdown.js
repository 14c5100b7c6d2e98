// Live countdown of the access token's expiry. The page works without it.
(() => {
  const expiry = document.getElementById("expiry");
  if (!expiry) return;
  const expires = Number(expiry.dataset.expires);
  const tick = () => {
    const seconds = Math.round((expires - Date.now()) / 1000);
    expiry.textContent = seconds > 0
      ? `expires in ${seconds} s`
      : "expired: the next page or data request refreshes it";
  };
  tick();
  setInterval(tick, 1000);
})();
