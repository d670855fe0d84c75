"""First messages that mix a greeting, the person's situation and a question.

People often open with one long message: "hey im in hamilton with a pgwp, csq from arrima, no invite
yet, do i qualify". The question ("do i qualify") only scopes over the clause that asks; the statement
clauses before it keep their facts. A clause that itself asks about a fact ("does a PSTQ CSQ count?")
still gives none for that field.
"""

from __future__ import annotations

import pytest

from tests.nlu_components.fact_helpers import facts_by_field

WOSP = "work_or_study_permit"
OTHER = "other_province"

# (message, expected field -> value, fields that must be absent)
Case = tuple[str, dict[str, str], set[str]]

EN_OPENINGS: list[Case] = [
    ("hey im in hamilton with a pgwp, csq from arrima, no invite yet, do i qualify",
     {"residence": OTHER, "place": "Hamilton, Ontario", "status_in_canada": WOSP, "csq_program": "pstq",
      "has_invitation": "false"}, set()),
    ("Hi! I live in Casablanca and got my CSQ through the PSTQ last month, can I apply for IMP+?",
     {"residence": "abroad", "place": "Casablanca, Morocco", "has_csq": "true",
      "csq_program": "pstq"}, set()),
    ("Hello, I hold a valid CSQ under the Programme régulier, my PR application is in process since 2024 "
     "and MIFI invited me, am I eligible?",
     {"has_csq": "true", "csq_valid": "true", "csq_program": "regular_skilled_worker", "pr_applied": "true",
      "pr_decision": "none", "has_invitation": "true"}, set()),
    ("Hello, I'm in Toronto on a work permit and I have a CSQ from the PEQ, am I eligible for IMP+?",
     {"residence": OTHER, "status_in_canada": WOSP, "has_csq": "true", "csq_program": "peq"}, set()),
    ("hi there, living in Calgary on a PGWP, got my CSQ (PEQ) in 2023, applied for PR, no decision yet. "
     "do I qualify for the IMP+?",
     {"residence": OTHER, "status_in_canada": WOSP, "has_csq": "true", "csq_program": "peq",
      "pr_applied": "true", "pr_decision": "none"}, set()),
    ("Good morning, I live in Paris, my CSQ is from the regular skilled worker program and it expired last "
     "year, can I still apply?",
     {"residence": "abroad", "csq_program": "regular_skilled_worker", "csq_valid": "false"}, set()),
    ("hey, I'm a visitor in Vancouver with a visitor record, I have a CSQ under the PSTQ, can I get the open "
     "work permit?",
     {"residence": OTHER, "status_in_canada": "visitor", "has_csq": "true", "csq_program": "pstq"}, set()),
    ("Hi, I'm in Ottawa without status, my CSQ expired and I applied for PR before it expired, is there any "
     "chance for me?",
     {"residence": OTHER, "status_in_canada": "none", "csq_valid": "false", "pr_applied": "true",
      "pr_filed_while_csq_valid": "true"}, set()),
    ("hello i live in tunis, csq regular program, pr submitted 2022 still pending, mifi letter received, "
     "am i eligible",
     {"residence": "abroad", "csq_program": "regular_skilled_worker", "pr_applied": "true",
      "pr_decision": "none", "has_invitation": "true"}, set()),
    ("Hi, I'm from Algeria but I live in Edmonton now on a study permit, I got my CSQ through Arrima, "
     "do I qualify?",
     {"residence": OTHER, "status_in_canada": WOSP, "has_csq": "true", "csq_program": "pstq"}, set()),
    ("yo im in winnipeg on a work permit, got csq via peq, applied for pr last year, no decision, can i "
     "apply "
     "for imp+",
     {"residence": OTHER, "status_in_canada": WOSP, "has_csq": "true", "csq_program": "peq",
      "pr_applied": "true", "pr_decision": "none"}, set()),
    ("Hello! I'm in Halifax with a BOWP, I have a valid CSQ from the AI pilot and my PR is in process, would "
     "I be eligible for IMP+?",
     {"residence": OTHER, "status_in_canada": WOSP, "has_csq": "true", "csq_valid": "true",
      "csq_program": "ai_it_vfx_pilot", "pr_applied": "true", "pr_decision": "none"}, set()),
    ("Hi, I have a CSQ but I don't have the invitation yet, can I still apply?",
     {"has_csq": "true", "has_invitation": "false"}, set()),
    ("hello, I don't have a CSQ yet, I'm in Montreal on a work permit, am I eligible for IMP+?",
     {"has_csq": "false", "residence": "quebec", "status_in_canada": WOSP}, set()),
    ("Hi, I live in London, UK, CSQ under the PEQ, valid until 2026, haven't applied for PR yet, "
     "can I apply?",
     {"residence": "abroad", "csq_program": "peq", "pr_applied": "false"}, set()),
    ("hi i live in brampton with a pgwp and i have my csq from the regular program, my pr got refused, "
     "do i qualify",
     {"residence": OTHER, "status_in_canada": WOSP, "has_csq": "true",
      "csq_program": "regular_skilled_worker", "pr_decision": "refused"}, set()),
    ("Hey! Im in Mississauga, open work permit, CSQ PSTQ, PR pending, MIFI letter received - do I qualify?",
     {"residence": OTHER, "status_in_canada": WOSP, "csq_program": "pstq", "pr_decision": "none",
      "has_invitation": "true"}, set()),
    ("Hello, my wife and I live in Dubai, we have a CSQ from the Quebec Experience Program and our PR was "
     "approved, can we apply?",
     {"residence": "abroad", "has_csq": "true", "csq_program": "peq", "pr_decision": "approved"}, set()),
    ("hi, im in regina on a visitor record, csq expired, applied for pr after it expired, is it possible for "
     "me?",
     {"residence": OTHER, "status_in_canada": "visitor", "csq_valid": "false", "pr_applied": "true",
      "pr_filed_while_csq_valid": "false"}, set()),
    ("Good evening, I currently live in Lyon, I hold a CSQ from the Regular Skilled Worker Program, I "
     "received the MIFI invitation, my application is complete, can I submit?",
     {"residence": "abroad", "has_csq": "true", "csq_program": "regular_skilled_worker",
      "has_invitation": "true", "application_complete": "true"}, set()),
    ("Hi, typing from my phone sry, im in kelowna w a work permit, csq from peq, invitation received, "
     "am i elegible",
     {"residence": OTHER, "status_in_canada": WOSP, "csq_program": "peq", "has_invitation": "true"}, set()),
    ("hi i got my csq thru arrima last month and i live in brossard, do i qualify?",
     {"has_csq": "true", "csq_program": "pstq", "residence": "quebec"}, set()),
    ("Hello I live in Saskatoon with my PGWP, my CSQ is still valid and my PR is in process, so can I apply "
     "for IMP+?",
     {"residence": OTHER, "status_in_canada": WOSP, "csq_valid": "true", "pr_applied": "true",
      "pr_decision": "none"}, set()),
    ("Hi, no CSQ yet but I'm in the Arrima pool, I live in Ottawa on a PGWP, do I qualify?",
     {"has_csq": "false", "residence": OTHER, "status_in_canada": WOSP}, {"csq_program"}),
    ("hey there, I'm in Canada as a visitor right now, I have a CSQ from the PEQ, MIFI hasn't invited me "
     "yet, "
     "can I apply?",
     {"status_in_canada": "visitor", "has_csq": "true", "csq_program": "peq", "has_invitation": "false"},
     set()),
    ("Hi, I live in Morocco, I got my CSQ in 2021 under the regular program, I applied for PR in 2022 while "
     "my CSQ was still valid, no decision yet, can I apply for the IMP+ permit?",
     {"residence": "abroad", "has_csq": "true", "csq_program": "regular_skilled_worker", "pr_applied": "true",
      "pr_filed_while_csq_valid": "true", "pr_decision": "none"}, set()),
    ("hello, bonjour, I'm in Toronto with a permis d'études and I have my CSQ du PEQ, can I apply?",
     {"residence": OTHER, "status_in_canada": WOSP, "has_csq": "true", "csq_program": "peq"}, set()),
    ("Hi, I live in Ottawa, I have a CSQ and I received the invitation letter, what documents do I need?",
     {"residence": OTHER, "has_csq": "true", "has_invitation": "true"}, set()),
    ("Hi I'm in Victoria BC on a spousal open work permit, CSQ under the AI, IT and VFX pilot, applied for "
     "PR "
     "in 2023, how long does IMP+ take?",
     {"residence": OTHER, "status_in_canada": WOSP, "csq_program": "ai_it_vfx_pilot", "pr_applied": "true"},
     set()),
    ("hello! quick question: I'm in Montreal with a work permit and my CSQ is from the PSTQ, do I qualify "
     "for "
     "IMP+?",
     {"residence": "quebec", "status_in_canada": WOSP, "csq_program": "pstq"}, set()),
    ("Hi, I'm a PGWP holder in Surrey, my CSQ expired but I filed my PR before it expired, am I eligible?",
     {"residence": OTHER, "status_in_canada": WOSP, "csq_valid": "false", "pr_applied": "true",
      "pr_filed_while_csq_valid": "true"}, set()),
    ("Hey, I live in Toronto, I'm out of status, I have a CSQ from the PEQ, can I still apply?",
     {"residence": OTHER, "status_in_canada": "none", "has_csq": "true", "csq_program": "peq"}, set()),
    ("Hi im in ottawa on a work permit, my pr application was refused, i still have a valid csq, "
     "do i qualify",
     {"residence": OTHER, "status_in_canada": WOSP, "pr_decision": "refused", "csq_valid": "true"}, set()),
    ("Hello, I live in the US, I have a Quebec selection certificate from the PEQ, I haven't received the "
     "MIFI invitation, am I eligible?",
     {"residence": "abroad", "has_csq": "true", "csq_program": "peq", "has_invitation": "false"}, set()),
    ("hi, in Moncton on a closed work permit, got my CSQ, no invitation from MIFI yet, can i apply?",
     {"residence": OTHER, "status_in_canada": WOSP, "has_csq": "true", "has_invitation": "false"}, set()),
    ("hi im in toronto with pgwp and csq from peq can i apply for imp+",
     {"residence": OTHER, "status_in_canada": WOSP, "csq_program": "peq"}, set()),
    ("i have a csq from the pstq do i qualify",
     {"has_csq": "true", "csq_program": "pstq"}, set()),
    ("Hi I live in Ottawa and I have a PEQ CSQ but no MIFI invitation so am I eligible or not?",
     {"residence": OTHER, "has_csq": "true", "csq_program": "peq", "has_invitation": "false"}, set()),
    ("Hi, I live in Toronto with a PGWP and I got my CSQ from the PEQ, but can I apply if my PR isn't "
     "submitted?",
     {"residence": OTHER, "status_in_canada": WOSP, "has_csq": "true", "csq_program": "peq"}, {"pr_applied"}),
    # The question first, no punctuation: the statement after it still counts.
    ("can i apply for imp+ i have a csq from peq", {"has_csq": "true", "csq_program": "peq"}, set()),
    ("hi how are you i live in ottawa with a pgwp and my csq is from the pstq",
     {"residence": OTHER, "status_in_canada": WOSP, "has_csq": "true", "csq_program": "pstq"}, set()),
    # A list of one's own situation before "is that enough?" is still a statement.
    ("I live in Ottawa, PGWP, CSQ from PEQ, invitation received, is that enough?",
     {"residence": OTHER, "status_in_canada": WOSP, "csq_program": "peq", "has_invitation": "true"}, set()),
    # "a CSQ from Quebec" names the issuer, not where the person lives.
    ("Hi, I have a CSQ from Quebec and I live in Lagos, can I apply?",
     {"has_csq": "true", "residence": "abroad", "place": "Lagos, Nigeria"}, set()),
    ("hey im in toronto, whats the processing time for a pgwp holder with a csq from peq?",
     {"residence": OTHER}, {"status_in_canada", "csq_program", "has_csq"}),
    # Negations keep their scope inside each statement clause.
    ("hi, im in ottawa, no csq, no invite, no pr application, do i qualify",
     {"residence": OTHER, "has_csq": "false", "has_invitation": "false", "pr_applied": "false"}, set()),
    ("I haven't applied for PR yet and MIFI didn't invite me, can I still apply?",
     {"pr_applied": "false", "has_invitation": "false"}, set()),
    # A wish covers its own clause only.
    ("I hope to get my CSQ from the PEQ soon, I live in Ottawa with a PGWP, can I apply?",
     {"residence": OTHER, "status_in_canada": WOSP}, {"has_csq", "csq_program"}),
    ("I'd like to know if I qualify, I have a PGWP and a CSQ from Arrima",
     {"status_in_canada": WOSP, "has_csq": "true", "csq_program": "pstq"}, set()),
]

FR_OPENINGS: list[Case] = [
    ("Bonjour, j'habite à Toronto avec un permis d'études pis j'ai mon CSQ du régulier, est-ce que je peux "
     "avoir le PMI+?",
     {"residence": OTHER, "place": "Toronto, Ontario", "status_in_canada": WOSP, "has_csq": "true",
      "csq_program": "regular_skilled_worker"}, set()),
    ("Salut! chu à Ottawa, CSQ PEQ expiré, RP déposée en 2023 pas de décision, suis-je admissible?",
     {"residence": OTHER, "csq_program": "peq", "csq_valid": "false", "pr_applied": "true",
      "pr_decision": "none"}, set()),
    ("Bonjour, je vis à Casablanca, j'ai obtenu mon CSQ dans le cadre du PSTQ, est-ce que je suis admissible "
     "au PMI+?",
     {"residence": "abroad", "has_csq": "true", "csq_program": "pstq"}, set()),
    ("Bonsoir, je réside à Alger, j'ai un CSQ du Programme régulier des travailleurs qualifiés et ma demande "
     "de RP est en traitement, puis-je faire une demande?",
     {"residence": "abroad", "has_csq": "true", "csq_program": "regular_skilled_worker", "pr_applied": "true",
      "pr_decision": "none"}, set()),
    ("Allo! J'suis à Gatineau avec un permis de travail fermé, j'ai mon CSQ du PEQ, je peux-tu appliquer?",
     {"residence": "quebec", "status_in_canada": WOSP, "has_csq": "true", "csq_program": "peq"}, set()),
    ("Salut, j'habite à Moncton avec une fiche du visiteur, j'ai reçu mon CSQ via Arrima, est-ce que je suis "
     "éligible?",
     {"residence": OTHER, "status_in_canada": "visitor", "has_csq": "true", "csq_program": "pstq"}, set()),
    ("Bonjour, je suis à Paris, mon CSQ est toujours valide et j'ai reçu l'invitation du MIFI, est-ce que je "
     "peux déposer ma demande?",
     {"residence": "abroad", "csq_valid": "true", "has_invitation": "true"}, set()),
    ("Bonjour, j'habite à Tunis, mon CSQ a expiré en 2024 mais j'avais déposé ma RP avant, suis-je "
     "admissible au PMI+ ?",
     {"residence": "abroad", "csq_valid": "false", "pr_applied": "true", "pr_filed_while_csq_valid": "true"},
     set()),
    ("slt jsuis a toronto avec un pgwp, csq du pstq, pas encore d invitation, jpeux appliquer?",
     {"residence": OTHER, "status_in_canada": WOSP, "csq_program": "pstq", "has_invitation": "false"}, set()),
    ("Bonjour, je n'ai pas de CSQ, je suis à Vancouver avec un permis d'études, est-ce que je peux quand "
     "même "
     "faire le PMI+?",
     {"has_csq": "false", "residence": OTHER, "status_in_canada": WOSP}, set()),
    ("Salut, je vis à Ottawa depuis 2022 avec un PTPD, j'ai un CSQ du PEQ diplômés et ma demande de RP a été "
     "refusée, ai-je droit au PMI+?",
     {"residence": OTHER, "status_in_canada": WOSP, "has_csq": "true", "csq_program": "peq",
      "pr_decision": "refused"}, set()),
    ("Bonjour, je suis au Maroc, j'ai mon CSQ du programme régulier, il est encore valide, j'ai pas encore "
     "déposé ma RP, est-ce que je suis admissible?",
     {"residence": "abroad", "has_csq": "true", "csq_program": "regular_skilled_worker", "csq_valid": "true",
      "pr_applied": "false"}, set()),
    ("Bonjour, je suis à Sherbrooke en PVT et j'ai eu mon CSQ avec le PSTQ l'an passé, suis-je éligible?",
     {"residence": "quebec", "status_in_canada": WOSP, "has_csq": "true", "csq_program": "pstq"}, set()),
    ("Allô, chu à Ottawa comme visiteur, j'ai pas de permis de travail, mon CSQ est du PEQ, je peux-tu avoir "
     "le permis ouvert?",
     {"residence": OTHER, "status_in_canada": "visitor", "csq_program": "peq"}, set()),
    ("Bonjour, j'habite en Tunisie, CSQ obtenu via le programme régulier, demande de RP déposée en 2022, "
     "toujours en attente, est-ce que le PMI+ est pour moi?",
     {"residence": "abroad", "csq_program": "regular_skilled_worker", "pr_applied": "true",
      "pr_decision": "none"}, set()),
    ("Salam, je vis à Oran, j'ai un CSQ valide du PSTQ et j'ai reçu la lettre du MIFI, je peux postuler?",
     {"residence": "abroad", "has_csq": "true", "csq_valid": "true", "csq_program": "pstq",
      "has_invitation": "true"}, set()),
    ("Bonjour, j'habite à Dakar, j'ai mon CSQ depuis 2023 mais le MIFI ne m'a pas encore invité, puis-je "
     "appliquer au PMI+?",
     {"residence": "abroad", "has_csq": "true", "has_invitation": "false"}, set()),
    ("bonjour jhabite a calgary avec un permis de travail ouvert et jai mon csq du peq est ce que je peux "
     "appliquer",
     {"residence": OTHER, "status_in_canada": WOSP, "has_csq": "true", "csq_program": "peq"}, set()),
    ("Salut! Je suis à Halifax avec un permis d'études, mon CSQ vient d'Arrima, ma RP est en traitement, "
     "est-ce que je me qualifie?",
     {"residence": OTHER, "status_in_canada": WOSP, "csq_program": "pstq", "pr_applied": "true",
      "pr_decision": "none"}, set()),
    ("Bonjour, je vis en France, j'ai un certificat de sélection du Québec dans le cadre du programme de "
     "l'expérience québécoise, est-ce que je peux bénéficier du PMI+?",
     {"residence": "abroad", "has_csq": "true", "csq_program": "peq"}, set()),
    ("Bonjour, je suis à Toronto sans statut, mon CSQ est périmé, j'ai déposé ma demande de RP avant "
     "l'expiration de mon CSQ, suis-je admissible?",
     {"residence": OTHER, "status_in_canada": "none", "csq_valid": "false", "pr_applied": "true",
      "pr_filed_while_csq_valid": "true"}, set()),
    ("Bonjour, j'habite à Lyon, j'ai un CSQ du Programme pilote d'immigration permanente des travailleurs "
     "des "
     "secteurs de l'intelligence artificielle, des technologies de l'information et des effets visuels, "
     "est-ce que je suis admissible ?",
     {"residence": "abroad", "has_csq": "true", "csq_program": "ai_it_vfx_pilot"}, set()),
    ("Allo, faque chu à Longueuil avec un permis de travail, j'ai mon CSQ du PEQ, je peux-tu faire la "
     "demande?",
     {"residence": "quebec", "status_in_canada": WOSP, "has_csq": "true", "csq_program": "peq"}, set()),
    ("Bonjour, je suis étudiante à Montréal avec un permis d'études, j'ai reçu mon CSQ du PEQ et "
     "l'invitation "
     "du MIFI, est-ce que je peux appliquer au PMI+?",
     {"residence": "quebec", "status_in_canada": WOSP, "has_csq": "true", "csq_program": "peq",
      "has_invitation": "true"}, set()),
    ("Salut, j'ai mon CSQ du PSTQ mais pas encore d'invitation, j'habite à Winnipeg, je peux appliquer?",
     {"has_csq": "true", "csq_program": "pstq", "has_invitation": "false", "residence": OTHER}, set()),
    ("Bonjour, je réside en Belgique, mon dossier est complet, j'ai le CSQ et l'invitation, est-ce qu'on "
     "peut "
     "déposer?",
     {"residence": "abroad", "application_complete": "true", "has_csq": "true", "has_invitation": "true"},
     set()),
    ("Bonjour, je suis à Edmonton avec une fiche de visiteur, j'ai pas de CSQ, est-ce que c'est possible "
     "pour "
     "moi?",
     {"residence": OTHER, "status_in_canada": "visitor", "has_csq": "false"}, set()),
    ("Bjr, j'habite à Rabat, CSQ du PRTQ, RP acceptée, est-ce que je dois quand même faire le PMI+?",
     {"residence": "abroad", "csq_program": "regular_skilled_worker", "pr_decision": "approved"}, set()),
    ("Bonjour, je suis à Ottawa avec mon PGWP et mon CSQ du PEQ est expiré, j'ai déposé ma RP après son "
     "expiration, suis-je admissible?",
     {"residence": OTHER, "status_in_canada": WOSP, "csq_program": "peq", "csq_valid": "false",
      "pr_applied": "true", "pr_filed_while_csq_valid": "false"}, set()),
    ("Coucou, je vis à Bruxelles et j'ai un CSQ du régulier, pis j'ai fait ma demande de RP en 2023, est-ce "
     "que je peux avoir le permis?",
     {"residence": "abroad", "has_csq": "true", "csq_program": "regular_skilled_worker",
      "pr_applied": "true"},
     set()),
    ("bonjour svp jsuis a hamilton avec un permis detude, csq peq valide, pas de decision pour la rp, c'est "
     "possible?",
     {"residence": OTHER, "status_in_canada": WOSP, "csq_program": "peq", "csq_valid": "true",
      "pr_decision": "none"}, set()),
    ("Bonjour, je suis en Algérie, mon CSQ a été délivré dans le cadre du PEQ, je n'ai pas reçu "
     "d'invitation, "
     "mais ma demande est complète, est-ce que je peux appliquer?",
     {"residence": "abroad", "csq_program": "peq", "has_invitation": "false", "application_complete": "true"},
     set()),
    ("Salut! J'habite à Laval pis j'ai mon CSQ, mais je me demande si je peux appliquer",
     {"residence": "quebec", "has_csq": "true"}, set()),
    ("Hi, je suis à Toronto on a work permit et j'ai mon CSQ du PEQ, am I eligible?",
     {"residence": OTHER, "status_in_canada": WOSP, "has_csq": "true", "csq_program": "peq"}, set()),
    ("Bonjour, je vis à Montréal avec un permis de travail, mon CSQ du PSTQ est valide, mais est-ce que je "
     "peux faire la demande sans l'invitation?",
     {"residence": "quebec", "status_in_canada": WOSP, "csq_program": "pstq", "csq_valid": "true"},
     {"has_invitation"}),
    ("allo chu a gatineau en pgwp pis jai mon csq du peq faque je peux tu appliquer",
     {"residence": "quebec", "status_in_canada": WOSP, "has_csq": "true", "csq_program": "peq"}, set()),
    # "rendez-vous" is a noun, not an inverted question.
    ("j'ai un rendez-vous avec le MIFI la semaine prochaine, j'ai mon CSQ du PEQ, je peux appliquer?",
     {"has_csq": "true", "csq_program": "peq"}, set()),
    ("j'ai un CSQ du PEQ suis-je admissible", {"has_csq": "true", "csq_program": "peq"}, set()),
    ("chu à Ottawa avec mon CSQ du PEQ chu tu admissible",
     {"residence": OTHER, "has_csq": "true", "csq_program": "peq"}, set()),
    ("Salut, chu à Québec, pas de CSQ pis pas de permis, suis-je admissible?",
     {"residence": "quebec", "has_csq": "false", "status_in_canada": "none"}, set()),
    ("je voudrais savoir si je suis admissible, j'ai un CSQ du PEQ et j'habite à Moncton",
     {"has_csq": "true", "csq_program": "peq", "residence": OTHER}, set()),
    ("je veux avoir mon CSQ du PSTQ, chu à Ottawa, je peux-tu appliquer?",
     {"residence": OTHER}, {"has_csq", "csq_program"}),
]

# The clause that asks about a field gives no fact for it, even after statements about other fields.
QUESTION_CLAUSES: list[Case] = [
    ("does a PSTQ CSQ count?", {}, {"csq_program", "has_csq"}),
    ("Hi, does a CSQ from the PEQ count for IMP+?", {}, {"csq_program", "has_csq"}),
    ("is my CSQ still valid if it expired?", {}, {"csq_valid"}),
    ("est-ce qu'un CSQ du PEQ compte?", {}, {"csq_program", "has_csq"}),
    ("Hi, I live in Toronto, does a PSTQ CSQ count?", {"residence": OTHER}, {"csq_program", "has_csq"}),
    ("Bonjour, j'habite à Ottawa, est-ce qu'un CSQ du PEQ compte pour le PMI+?", {"residence": OTHER},
     {"csq_program", "has_csq"}),
    ("Hello, I'm in Calgary on a PGWP, can I apply with a visitor record?",
     {"residence": OTHER, "status_in_canada": WOSP}, set()),
    ("Salut, chu à Ottawa, est-ce que je peux appliquer avec une fiche du visiteur?", {"residence": OTHER},
     {"status_in_canada"}),
    ("hi, do I need a CSQ to apply?", {}, {"has_csq"}),
    ("Bonjour, faut-il avoir reçu l'invitation du MIFI pour appliquer?", {}, {"has_invitation"}),
    ("Hello, I live in Paris, is the PEQ still open?", {"residence": "abroad"}, {"csq_program"}),
    ("Hi, I'm in Ottawa, what happens if my CSQ expired before I applied for PR?", {"residence": OTHER},
     {"csq_valid", "pr_applied", "pr_filed_while_csq_valid"}),
    ("Bonjour, je suis à Lyon, est-ce que ma RP doit être déposée avant l'expiration du CSQ?",
     {"residence": "abroad"}, {"pr_applied", "pr_filed_while_csq_valid"}),
    ("hey im in toronto with a pgwp, does the PR application need to be approved first?",
     {"residence": OTHER, "status_in_canada": WOSP}, {"pr_decision", "pr_applied"}),
    ("Salut, j'habite à Moncton, un CSQ expiré, ça compte-tu?", {"residence": OTHER}, {"csq_valid"}),
    ("Hello, a CSQ from Arrima, is that enough to qualify?", {}, {"csq_program", "has_csq"}),
    ("Bonjour, est-ce que le programme régulier est encore ouvert?", {}, {"csq_program"}),
    ("hi i live in montreal, can i apply if my csq expired?", {"residence": "quebec"}, {"csq_valid"}),
    ("Bonjour, je suis à Toronto, si mon CSQ est expiré est-ce que je peux quand même appliquer?",
     {"residence": OTHER}, {"csq_valid"}),
    ("Hi, I'm in Vancouver, I'd like to get a work permit, how does IMP+ work?", {"residence": OTHER},
     {"status_in_canada"}),
    ("Salut, j'habite à Toronto et je voudrais obtenir mon CSQ par le PEQ, c'est possible?",
     {"residence": OTHER}, {"has_csq", "csq_program"}),
    ("Hi, would a PEQ CSQ work for IMP+?", {}, {"csq_program", "has_csq"}),
    ("is a PGWP enough?", {}, {"status_in_canada"}),
    ("Bonjour, un permis d'études c'est suffisant?", {}, {"status_in_canada"}),
    ("Hello, I'm in Ottawa, do I have to wait for the MIFI invitation?", {"residence": OTHER},
     {"has_invitation"}),
    ("Bonjour, je vis à Alger, est-ce que je dois avoir un permis de travail?", {"residence": "abroad"},
     {"status_in_canada"}),
    ("hey, csq from the peq, does that count?", {}, {"csq_program"}),
    ("Hi, does the CSQ have to be from the regular program, or is PSTQ ok?", {}, {"csq_program"}),
    # French inversion after a noun: the noun is what the question is about.
    ("un CSQ du PEQ est-il valable pour le PMI+", {}, {"csq_program", "has_csq"}),
    ("le Québec a-t-il un PCP", {}, {"residence"}),
    ("le CSQ du PSTQ marche-tu", {}, {"csq_program"}),
    ("mon CSQ du PEQ compte-t-il?", {}, {"csq_program"}),
    ("J'habite à Lyon, mon CSQ du PEQ est-il encore valide?", {"residence": "abroad"}, {"csq_valid"}),
    ("un CSQ du Programme pilote d'immigration permanente des travailleurs des secteurs de l'intelligence "
     "artificielle, des technologies de l'information et des effets visuels est-il admissible?", {},
     {"csq_program", "has_csq"}),
    # Alternatives and dislocated topics belong to the question.
    ("Hi, PEQ or PSTQ, which one is better for me?", {}, {"csq_program"}),
    ("Bonjour, PEQ ou PSTQ, lequel est le mieux pour moi?", {}, {"csq_program"}),
    ("the PSTQ, is it still open?", {}, {"csq_program"}),
    ("I'm in Ottawa, should I wait until I have the invitation?", {"residence": OTHER}, {"has_invitation"}),
    ("can I apply if I have a CSQ from PEQ", {}, {"has_csq", "csq_program"}),
    ("do I need to prove I have a work permit?", {}, {"status_in_canada"}),
]

CASES = EN_OPENINGS + FR_OPENINGS + QUESTION_CLAUSES


@pytest.mark.parametrize(("text", "expected", "absent"), CASES, ids=[c[0][:70] for c in CASES])
def test_opening(text: str, expected: dict[str, str], absent: set[str]) -> None:
    """Statement clauses keep their facts; the asking clause gives none for the fields it asks about."""
    found = facts_by_field(text)
    for field, value in expected.items():
        assert found.get(field) == value, f"{field}: expected {value!r}, got {found}"
    for field in absent:
        assert field not in found, f"{field} should be absent, got {found}"


def test_opening_counts() -> None:
    """At least 30 openings per language and 15 asking clauses that must give nothing."""
    assert len(EN_OPENINGS) >= 30
    assert len(FR_OPENINGS) >= 30
    assert len(QUESTION_CLAUSES) >= 15
