-- wrk script: cycles through the query classes of benches/scale.rs, one request each in turn.
local queries = {
  "q=beslut", "q=kommunen", "q=detaljplan",
  "q=v%C3%A4tgasterminal", "q=bergrumslager",
  "q=batterifabrik", "q=f%C3%B6rskoleverksamhet", "q=%C3%A4ldreomsorgen",
  "q=detaljplan+granskning", "q=bygglov+nybyggnad+enbostadshus", "q=budget+skola+omsorg+%C3%A4ldreomsorg",
  "q=%22detaljplan+f%C3%B6r%22", "q=%22beslut+om%22",
  "q=bygglov&kommun=1480", "q=f%C3%B6rskola&kommun=0180",
  "q=detaljplan&from=2024-01-01&to=2024-06-30&sort=date_desc",
  "q=bygglov&from=2022-01-01&to=2022-12-31&sort=date_desc",
  "q=KS+2023%2F412", "q=SBN+2019%2F108",
  "q=detaljplsn", "q=medborgarf%C3%B6rlsag",
  "q=forskola", "q=aldreomsorg",
}
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", "/api/v1/search?" .. queries[i])
end
