// The "Find a member" panel on the ballot form, without leaving the page: the search
// fetches the same page's results (so nothing typed in the form is lost), and each
// person found has buttons that put them in the trustees or as the credential authority.
// Without scripts the panel still works as a plain search (a new page).

const panel = document.querySelector(".find-member");
const status = panel && panel.querySelector("#find-member-status");

function say(words) {
  status.textContent = words;
}

function button(text, label, onClick) {
  const made = document.createElement("button");
  made.type = "button";
  made.className = "secondary";
  made.textContent = text;
  made.setAttribute("aria-label", label);
  made.addEventListener("click", onClick);
  return made;
}

function addTrustee(name, email) {
  const field = document.getElementById("id_trustees");
  const lines = field.value.split("\n").map((line) => line.trim()).filter(Boolean);
  if (lines.some((line) => line.split(",").slice(1).join(",").trim().toLowerCase() === email.toLowerCase())) {
    say(`${name} is already a trustee.`);
    return;
  }
  lines.push(`${name}, ${email}`);
  field.value = lines.join("\n");
  say(`${name} added to the trustees (${lines.length} now).`);
}

function makeAuthority(name, email) {
  document.getElementById("id_authority_name").value = name;
  document.getElementById("id_authority_email").value = email;
  say(`${name} is now the credential authority.`);
}

function enhance() {
  const table = panel.querySelector("table.found");
  if (!table || table.dataset.enhanced) return;
  table.dataset.enhanced = "1";
  const heading = document.createElement("th");
  heading.scope = "col";
  heading.textContent = "Choose";
  // Beside the name, so that on a phone the buttons show without scrolling the table.
  table.querySelector("thead th").after(heading);
  for (const row of table.querySelectorAll("tbody tr")) {
    const { name, email } = row.dataset;
    const cell = document.createElement("td");
    if (document.getElementById("id_trustees")) {
      cell.append(button("Trustee", `Add ${name} as a trustee`, () => addTrustee(name, email)), " ");
    }
    if (document.getElementById("id_authority_email")) {
      cell.append(button("Authority", `Make ${name} the credential authority`,
                         () => makeAuthority(name, email)));
    }
    row.querySelector("td").after(cell);
  }
}

async function search(event) {
  event.preventDefault();
  const query = panel.querySelector("#find").value;
  const url = new URL(window.location.href);
  url.searchParams.set("find", query);
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) {
    say("The search failed; try again.");
    return;
  }
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const results = page.querySelector(".find-member .found-results");
  panel.querySelector(".found-results").replaceWith(results);
  enhance();
  const found = results.querySelectorAll("tbody tr").length;
  say(found ? `${found} found${results.querySelector(".more") ? " (the first ones)" : ""}.`
            : `Nobody on the roll matches “${query}”.`);
}

if (panel) {
  panel.querySelector("form").addEventListener("submit", search);
  enhance();
}
