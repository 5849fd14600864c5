// bighadj22/codflow PR #108: each commune request takes an id from a module counter; its success and
// its error handlers touch the selector only while that id is still the latest one.
const communeSelect = document.querySelector<HTMLSelectElement>('#commune')!;
const wilayaSelect = document.querySelector<HTMLSelectElement>('#wilaya')!;

let latestCommuneRequestId = 0;

function renderCommunes(communes: Array<{ id: string; name: string }>): void {
  communeSelect.innerHTML = '';
  for (const c of communes) {
    const option = document.createElement('option');
    option.value = c.id;
    option.textContent = c.name;
    communeSelect.append(option);
  }
  communeSelect.disabled = communes.length === 0;
}

export async function loadCommunes(wilayaId: string): Promise<void> {
  const requestId = ++latestCommuneRequestId;
  communeSelect.disabled = true;
  try {
    const res = await fetch(`/api/communes?wilaya=${encodeURIComponent(wilayaId)}`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const communes = (await res.json()) as Array<{ id: string; name: string }>;
    if (requestId !== latestCommuneRequestId) return;
    renderCommunes(communes);
  } catch {
    if (requestId !== latestCommuneRequestId) return;
    renderCommunes([]);
  }
}

wilayaSelect.addEventListener('change', () => {
  void loadCommunes(wilayaSelect.value);
});
