"""The citation extractor knows the national instruments of the corpus: provisions cited in
real case pages are found by the same ids as the legislation records (runs where
../shared/corpus-raw is present)."""

from __future__ import annotations

import json

import pytest

import jurisdex
from conftest import SHARED

PAGES = SHARED / "corpus-raw" / "case-pages"

# (case page, a provision its excerpt cites), from reading the pages.
CITED = [
    ("esp-resolucion-292-2004-ceuta-swimmer", "ESP:CP:318bis"),
    ("esp-sap-las-palmas-324-2021-318-bis-homicidio-imprudente", "ESP:CP:318bis"),
    ("esp-sts-385-2012-teruel-trabajadores-marroquies", "ESP:CP:318bis"),
    ("gbr-r-v-kakaei-2021-ewca-crim-503", "GBR:IA-1971:25"),
    ("gbr-r-v-lofti-ben-salem-2003-dover-truck-24-males", "GBR:IA-1971:25"),
    ("gbr-r-v-naillie-and-kanesarajah-1992", "GBR:IA-1971:25"),
    ("gbr-wood-green-crown-court-2017-jonatan-majewski-four-poles-laundry", "GBR:MSA-2015:2"),
    ("can-r-v-appulonappa-2015-scc-59", "CAN:IRPA:117"),
    ("can-r-v-appulonappa-bcsc-s117-struck-down", "CAN:IRPA:117"),
    ("can-jp-v-canada-public-safety-2013-fca-262", "CAN:IRPA:37"),
    ("can-jp-v-canada-public-safety-2013-fca-262", "CAN:IRPA:117"),
    ("can-jp-v-canada-public-safety-2013-fca-262", "CAN:IRPA:37"),
    ("aus-the-queen-v-ahmad-2012-ntcca-01", "AUS:MIGRATION-ACT-1958:233A"),
    ("aus-wamir-v-the-queen-2011-nswdc-152-non-parole", "AUS:MIGRATION-ACT-1958:233A"),
    ("aus-perth-district-court-2014-christmas-island-capsize", "AUS:MIGRATION-ACT-1958:233B"),
    ("aus-perth-district-court-2014-christmas-island-capsize", "AUS:MIGRATION-ACT-1958:233C"),
    ("aus-r-v-nitu-2012-qca-224-abuse-of-process-s233c", "AUS:MIGRATION-ACT-1958:233C"),
    ("aus-r-v-nitu-2012-qca-224-abuse-of-process-s233c", "AUS:MIGRATION-ACT-1958:233C"),
    ("ita-cass-sez1-17802-2021-firenze-minore-nigeriana-600-601-cp", "ITA:CP:600"),
    ("ita-cass-sez1-17802-2021-firenze-minore-nigeriana-600-601-cp", "ITA:CP:600"),
    ("ita-cass-sez1-21-2003-cagliari-donne-nigeriane-schiavitu-prostituzione", "ITA:CP:600"),
    ("arg-camara-federal-la-plata-expte-6955-taller-textil", "ARG:LEY-25871:117"),
    ("arg-tof-mar-del-plata-2011-causa-2306-juicio-abreviado", "ARG:CP:145bis"),
    ("arg-tof-parana-g-m-ruta-12-trata-reparacion", "ARG:CP:145bis"),
    ("arg-tof-parana-g-m-ruta-12-trata-reparacion", "ARG:CP:145bis"),
    ("aut-ogh-11os125-15i-taxi-drivers-adequate-fee", "AUT:FPG:114"),
    ("bra-jf-mg-2024-operacao-cai-cai-15-condenados-tarumirim", "BRA:CP:232-A"),
    ("che-bge-146-iv-297-6b-1162-2019-notstandshilfe-afghan", "CHE:AIG:116"),
    ("che-bge-146-iv-297-6b-1162-2019-notstandshilfe-afghan", "CHE:AIG:116"),
    ("cze-ns-11-tdo-1213-2016-three-iraqis-sweden-3000-eur", "CZE:TZ:340"),
    ("cze-ns-6-tdo-151-2015-h-p-n-statni-hranice-normativni-znak", "CZE:TZ:340"),
    ("svk-ns-2tdo-52-2018-cunovo-vw-passat-prevadzacstvo", "SVK:TZ:355"),
    ("svk-ns-5ndt-1-2009-a-z-s-s-prevadzacstvo-prislusnost-sudu", "SVK:TZ:355"),
    ("svk-ns-5ndt-1-2009-a-z-s-s-prevadzacstvo-prislusnost-sudu", "SVK:TZ:355"),
    ("est-harju-county-court-iraqi-driver-tallinn-port-trunk", "EST:KARS:259"),
    ("gha-kweikuma-gender-circuit-court-2024-okolo-jackson-onitsha-girls", "GHA:HTA-2005:2"),
    ("svk-ns-3urto-3-2025-g-t-kiskoros-13-afghans-recognition", "HUN:BTK:353"),
    ("ind-bombay-hc-freedom-firm-v-commissioner-pune-2015", "IND:IPC:370"),
    ("ind-chhattisgarh-hc-2025-mohammed-siraz-s370-no-exploitation", "IND:IPC:370"),
    ("ind-chhattisgarh-hc-2025-mohammed-siraz-s370-no-exploitation", "IND:IPC:370"),
    ("lva-senate-latgale-five-indian-citizens-internal-border-s285", "LVA:KL:285"),
    ("lva-senate-latgale-five-indian-citizens-internal-border-s285", "LVA:KL:285"),
    ("lva-senate-latgale-five-indian-citizens-internal-border-s285", "LVA:KL:285"),
    ("mys-kangar-high-court-2016-two-rohingya-agents-wang-kelian", "MYS:ATIPSOM-2007:26A"),
    ("nga-fhc-lagos-owoh-gabriel-dubai-prostitution", "NGA:TIPPEA-2015:13"),
    ("nga-fhc-maiduguri-muhammad-abubakar-four-years", "NGA:TIPPEA-2015:13"),
    ("nga-borno-hc-wadai-utibe-ajoturah-sale-of-infant", "NGA:TIPPEA-2015:21"),
    ("npl-dailekh-district-court-2023-mankumari-bista-four-girls", "NPL:HTTCA-2064:15"),
    ("phl-gr-270870-2024-qualified-trafficking-minor-consent", "PHL:RA-9208:4"),
    ("phl-people-v-batomalaque-gr-266608-2024", "PHL:RA-9208:3"),
    ("phl-people-v-lalli-gr-195419-2011", "PHL:RA-9208:3"),
    ("prt-trc-2023-12-20-8zrcbr-trafico-pessoas-auxilio-imigracao", "PRT:LEI-23-2007:183"),
    ("prt-tre-2018-14-16-9zclsb-trafico-pessoas-santarem", "PRT:LEI-23-2007:183"),
    ("prt-tre-evora-2015-294-07-auxilio-imigracao-ilegal-tentativa", "PRT:LEI-23-2007:183"),
    ("sgp-ang-jwee-herng-v-pp-2001-sghc-73-harbouring-benchmark", "SGP:IA-1959:57"),
    ("sgp-ang-jwee-herng-v-pp-2001-sghc-73-harbouring-benchmark", "SGP:IA-1959:57"),
    ("sgp-awtar-singh-v-pp-2000-sghc-133-abetting-harbouring", "SGP:IA-1959:57"),
    ("srb-vrhovni-sud-kzz-909-2025-radenko-mitrovic-trgovina-ljudima-smederevo", "SRB:KZ:388"),
    ("srb-vks-kzz-360-2021-visi-sud-vranje-citroen-jedna-godina", "SRB:KZ:350"),
    ("srb-vks-kzz-360-2021-visi-sud-vranje-citroen-jedna-godina", "SRB:KZ:350"),
    ("swe-nja-2018-s1073-fosterland-journalists", "SWE:UTLL-2005-716:20-8"),
    ("swe-nja-2018-s1073-fosterland-journalists", "SWE:UTLL-2005-716:20-8"),
    ("swe-nja-2018-s229-helsingborg-three-afghans", "SWE:UTLL-2005-716:20-8"),
    ("tur-yargitay-18-cd-2017-2936-kendi-ulkesine-sokulma-gocmen-kacakciligi-degil", "TUR:TCK:79"),
    ("tur-yargitay-18-cd-2017-2936-kendi-ulkesine-sokulma-gocmen-kacakciligi-degil", "TUR:TCK:79"),
    ("uga-uganda-v-muhwezi-and-19-others-2022-ughcicd-5", "UGA:PTIPA-2009:3"),
    ("uga-uganda-v-muhwezi-and-19-others-2022-ughcicd-5", "UGA:PTIPA-2009:3"),
    ("uga-uganda-v-kyalimpa-and-another-2022-ughcicd-4-migrant-workers", "UGA:PTIPA-2009:7"),
    ("zaf-s-v-ea-and-others-2024-zawchc-79", "ZAF:PACOTIP-2013:4"),
    ("cri-guanacaste-tribunal-coyotes-cubanos-2015", "CRI:LGME-8764:249"),
]


@pytest.mark.skipif(not PAGES.is_dir(), reason="../shared/corpus-raw is not present")
def test_provisions_cited_in_case_pages_are_found(tmp_path):
    with jurisdex.Index(tmp_path / "idx", create=True) as idx:
        for slug in sorted({s for s, _ in CITED}):
            page = json.loads((PAGES / f"{slug}.json").read_text(encoding="utf-8"))
            idx.add({"id": slug, "type": "case", "title": slug, "country": "INT", "language": "en",
                     "summary": "A page read for its citations.", "text": page["excerpt"],
                     "offences": ["other"], "source": {"url": page["url"]}})
        missing = [(slug, cite) for slug, cite in CITED if slug not in idx.cited_by(cite, limit=None).ids()]
    assert missing == []


def test_citations_name_the_instrument_not_just_a_number(tmp_path):
    texts = {
        "sentenced under article 318 bis of the Código Penal": ["ESP:CP:318bis"],
        "contrary to section 25(1) of the Immigration Act 1971": ["GBR:IA-1971:25"],
        "section 25 of the Immigration Act 1988": [],
        "convicted under article 318 bis": [],  # no code named
    }
    with jurisdex.Index(tmp_path / "idx", create=True) as idx:
        idx.add([{"id": f"r{i}", "type": "case", "title": f"record{i}", "country": "ESP", "language": "en",
                  "summary": text, "offences": ["smuggling_of_migrants"], "source": {"url": "u"}}
                 for i, text in enumerate(texts)])
        for i, (text, want) in enumerate(texts.items()):
            assert list(idx.search(f"title:record{i}", facets=["cites"]).facets["cites"]) == want, text
