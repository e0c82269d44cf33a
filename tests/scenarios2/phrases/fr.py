"""Formules françaises, plusieurs variantes par emplacement."""

BANK: dict[str, list[str]] = {
    "re": ["RE : ", "Re: ", "RE: "],
    "weekdays": ["lundi", "mardi", "mercredi", "jeudi", "vendredi"],
    "titles": [
        "Responsable commercial",
        "Business Developer",
        "Fondateur",
        "Chargée d'affaires",
        "Directeur associé",
    ],
    "subj_leadgen": [
        "Plus de rendez-vous qualifiés pour {company}",
        "{first}, 20 rendez-vous commerciaux par mois ?",
        "Une idée pour votre prospection",
        "Votre pipeline pour le T4",
        "Une idée pour décrocher plus de démos",
    ],
    "subj_devshop": [
        "Des développeurs dédiés pour {company}",
        "Renforcer votre équipe tech sans recruter",
        "Développeurs seniors à partir de 30 €/h",
        "Petite question sur votre roadmap",
        "Votre prochain développeur pourrait commencer lundi",
    ],
    "subj_seo": [
        "Le référencement de {company}",
        "J'ai jeté un œil à votre site",
        "Audit SEO offert pour {company}",
        "Votre site perd des visiteurs",
    ],
    "subj_recruiting": [
        "Vous recrutez des data engineers ?",
        "Des candidats pour vos postes ouverts",
        "Accompagnement recrutement pour {company}",
    ],
    "subj_supplies": [
        "Toner et fournitures jusqu'à 30 % moins cher",
        "Vos cartouches d'imprimante",
        "Devis fournitures de bureau pour {company}",
    ],
    "subj_saas": [
        "Automatiser le reporting de {company}",
        "Un assistant IA pour votre équipe ?",
        "Clôture mensuelle deux fois plus rapide",
        "Idée pour {company}",
    ],
    "greet": [
        "Bonjour {first},",
        "Bonjour,",
        "Madame, Monsieur,",
        "Salut {first},",
        "Bonjour {first} {last},",
        "Cher {first},",
        "Bonjour {first}, j'espère que vous allez bien.",
    ],
    "open": [
        "j'ai découvert {company} sur LinkedIn et ce que fait votre équipe m'a beaucoup intéressé.",
        "je serai bref, je sais que votre boîte mail est bien remplie.",
        "j'ai vu que {company} recrute en ce moment, signe d'une belle croissance.",
        "en cherchant des acteurs de l'analytique à Lyon, je suis tombé sur votre entreprise.",
        "nous accompagnons de nombreuses sociétés comparables à {company}.",
        "j'espère que votre semaine commence bien.",
        "petite question rapide : êtes-vous en charge du développement commercial chez {company} ?",
        "je ne suis pas certain d'avoir la bonne personne, mais je tente ma chance.",
        "nous aidons les équipes data comme la vôtre sur un problème bien précis.",
    ],
    "value_leadgen": [
        "Nous planifions des rendez-vous commerciaux qualifiés directement dans votre agenda, et vous ne payez que les rendez-vous honorés.",
        "Notre équipe gère pour vous toute la prospection par e-mail et LinkedIn, avec en moyenne 15 à 25 rendez-vous par mois.",
        "Nous constituons des fichiers de décideurs ciblés et prenons en charge l'ensemble des relances.",
        "Nous combinons des signaux d'intention d'achat et une approche personnalisée : vos commerciaux ne parlent qu'à des prospects prêts à acheter.",
    ],
    "value_devshop": [
        "Nous mettons à disposition des développeurs expérimentés, basés à Tunis et à Porto, opérationnels en une semaine.",
        "Nos équipes dédiées (React, Symfony, Python) coûtent environ moitié moins qu'un recrutement en CDI, sans engagement.",
        "Que ce soit pour un MVP ou pour renforcer votre produit, nous montons une équipe complète en moins de dix jours.",
        "Nos développeurs travaillent sur votre fuseau horaire, directement dans votre Jira, Slack et GitHub.",
    ],
    "value_seo": [
        "J'ai réalisé un rapide audit de votre site et relevé plusieurs erreurs techniques qui vous font probablement perdre du trafic.",
        "Vos concurrents sont mieux positionnés que vous sur des mots-clés stratégiques, et cela se corrige en quelques mois.",
        "Nous sommes spécialisés dans le netlinking et l'optimisation on-page pour les entreprises B2B.",
        "Aujourd'hui, {company} n'apparaît pas en première page sur « conseil analytique Lyon », contrairement à vos concurrents.",
    ],
    "value_recruiting": [
        "Nous avons actuellement plusieurs data engineers et analystes présélectionnés, ouverts à de nouvelles opportunités.",
        "Nos consultants sont spécialisés dans les profils data et pourvoient la plupart des postes en moins de trois semaines.",
        "Nous travaillons uniquement au succès : aucun frais si vous ne recrutez pas.",
        "Deux des profils auxquels je pense ont déjà construit des plateformes data dans des scale-ups et sont disponibles sous un mois.",
    ],
    "value_supplies": [
        "Nous fournissons du toner et de l'encre compatibles pour toutes les grandes marques d'imprimantes, jusqu'à 30 % moins cher.",
        "Livraison en 24 h pour le papier, le toner et les fournitures, avec une seule facture mensuelle.",
        "Ce mois-ci : livraison offerte et 15 % de remise sur votre première commande.",
        "Nous pouvons auditer gratuitement vos dépenses d'impression et vous montrer où économiser.",
    ],
    "value_saas": [
        "Notre plateforme automatise le reporting hebdomadaire que vos analystes font encore à la main.",
        "Nous avons conçu un assistant IA qui rédige vos rapports clients en quelques minutes.",
        "L'intégration à vos outils (Salesforce, Slack, Snowflake) prend environ une heure.",
        "La mise en place prend une journée et la plupart des équipes reçoivent leur premier rapport automatique la même semaine.",
    ],
    "proof": [
        "Nous avons récemment aidé {client} à augmenter ses démos de {pct} % en un trimestre.",
        "Des entreprises comme {client} nous font déjà confiance.",
        "",
    ],
    "cta": [
        "Seriez-vous disponible {weekday} prochain pour un échange de 15 minutes ?",
        "Est-ce que cela vaut un échange rapide ?",
        "Êtes-vous la bonne personne pour en parler ?",
        "Puis-je vous envoyer une courte étude de cas ?",
        "Répondez simplement « OUI » et je vous envoie les détails.",
        "Auriez-vous 15 minutes {weekday} ou jeudi ?",
        "Qui serait le meilleur interlocuteur chez vous sur ce sujet ?",
        "Un essai gratuit vous intéresserait-il ?",
    ],
    "book": [
        "Vous pouvez réserver un créneau ici : {booking}",
        "Mon agenda, si c'est plus simple : {booking}",
    ],
    "sign": [
        "Bien cordialement,\n{me}\n{title} | {my_company}",
        "Belle journée,\n{me_first}",
        "Cordialement,\n{me}\n{my_company}\n{phone}",
        "À bientôt,\n{me}",
    ],
    "ps": [
        "PS : si vous n'êtes pas la bonne personne, pourriez-vous m'orienter ?",
        "P.S. Je peux aussi vous envoyer une courte vidéo à la place d'un appel.",
        "",
    ],
    "optout": [
        "Pas intéressé ? Répondez simplement « non » et je ne vous relancerai plus.",
        "Pour ne plus recevoir nos messages : {link}",
    ],
    "fwd": ["TR : ", "Fwd: ", "TR: "],
    "fwd_head": ["---------- Message transféré ---------"],
    "fu_resend": [
        "je vous renvoie mon message ci-dessous au cas où il serait passé inaperçu.",
        "je me permets de vous transférer à nouveau mon e-mail de la semaine dernière.",
    ],
    "e_loop": [
        "merci pour votre retour rapide ! Je mets {colleague} en copie, qui s'occupe de la data chez vous d'après ce que j'ai compris. {weekday} vous conviendrait-il à tous les deux ?",
        "merci ! Comme convenu, j'ajoute {colleague} en copie et je vous envoie nos tarifs à tous les deux.",
    ],
    "fu_subject": [
        "Relance",
        "{first} ?",
        "Petit suivi",
        "Toujours d'actualité ?",
        "Dernière tentative",
        "Avez-vous vu mon message ?",
        "Je vous renvoie ceci",
        "{first}, un avis ?",
        "Une autre idée pour {company}",
        "Je clôture votre dossier ?",
    ],
    "fu_bump": [
        "je me permets de remonter mon message ci-dessous.",
        "avez-vous eu l'occasion de lire mon dernier e-mail ?",
        "je reviens vers vous concernant mon message de la semaine dernière.",
        "je sais que vous êtes très sollicité, je serai donc bref.",
        "sans nouvelles de votre part, je me permets de vous relancer.",
        "je me permets de revenir vers vous une nouvelle fois.",
        "petite relance concernant mon message ci-dessous.",
        "peut-être que le moment est mieux choisi aujourd'hui ?",
    ],
    "fu_angle": ["En résumé :", "Une dernière idée :", "Pour vous donner un peu de contexte :"],
    "fu_cta": [
        "Seriez-vous disponible {weekday} pour un court appel ?",
        "Est-ce un sujet pour vous ce trimestre ?",
        "Dois-je plutôt contacter un de vos collègues ?",
        "Tenez-moi au courant !",
        "Dix minutes, ça vous dit ?",
        "La semaine prochaine serait-elle plus pratique ?",
        "Répondez simplement 1) intéressé, 2) pas maintenant, 3) pas la bonne personne.",
    ],
    "fu_break": [
        "sans retour de votre part, j'en déduis que le moment n'est pas idéal. Ce sera mon dernier message – n'hésitez pas à revenir vers moi si les choses changent.",
        "je vous ai écrit plusieurs fois sans succès, je vais donc m'arrêter là. Dois-je clôturer votre dossier ?",
        "j'en conclus que ce n'est pas une priorité et je ne vous écrirai plus après ce message. Mon agenda reste ouvert si besoin.",
    ],
    "fu_calendar": [
        "je me suis permis de vous envoyer une invitation pour {weekday} – libre à vous de la déplacer ou de la refuser."
    ],
    "li_open": [
        "merci d'avoir accepté mon invitation sur LinkedIn !",
        "ravi d'être connecté avec vous.",
        "merci pour la mise en relation sur LinkedIn.",
    ],
    "r_decline": [
        "Pas intéressé, merci.",
        "Merci de me retirer de votre liste.",
        "Bonjour, nous ne sommes pas intéressés. Merci de ne plus me contacter.",
        "Non merci, nous gérons cela en interne.",
        "Pas intéressée. Merci de ne plus m'écrire.",
    ],
    "r_engage": [
        "Merci pour votre message, cela tombe bien. Pouvez-vous m'envoyer vos tarifs ?",
        "Intéressant. Seriez-vous disponible la semaine prochaine pour en parler ?",
        "Oui, nous regardons ce sujet en ce moment. À quoi ressemblerait un pilote ?",
    ],
    "sign_user": [
        "Bien à vous,\n{me_first}",
        "Cordialement,\n{me}",
        "Merci,\n{me_first}",
        "Bonne journée,\n{me_first}",
    ],
    "e_reply": [
        "merci pour votre retour ! Vous trouverez ci-joint notre grille tarifaire et deux études de cas. {weekday} 10 h vous conviendrait pour un appel ?",
        "ravi d'avoir de vos nouvelles. Un pilote dure quatre semaines avec une de vos équipes ; tous les détails sont dans le PDF joint.",
    ],
    "e_nudge": [
        "je voulais savoir si vous aviez pu regarder la proposition. Je peux la présenter à votre équipe si besoin.",
        "avez-vous des questions sur les tarifs ? Je garde le créneau du pilote jusqu'à la fin du mois.",
    ],
    "cu_subject": [
        "{product} : les tableaux de bord ne s'affichent plus",
        "Urgent : rapports en erreur depuis ce matin",
        "Panne ? Impossible de se connecter à {product}",
        "Ticket {ticket} : export bloqué",
    ],
    "cu_first": [
        "Bonjour {first},\n\ndepuis 9 h ce matin, plus aucun tableau de bord ne se charge dans {product}. Nous avons un comité de direction à 14 h et il nous faut les chiffres. Pouvez-vous regarder ?\n\nMerci,\n{me}\n{my_company}",
        "Bonjour,\n\nla synchronisation de nuit échoue depuis trois nuits et les rapports affichent encore les chiffres de la semaine dernière. Y a-t-il un incident connu ?\n\nCordialement,\n{me}",
    ],
    "cu_nudge": [
        "Bonjour {first}, avez-vous du nouveau ? Nous n'avons toujours pas accès à nos rapports.",
        "Je me permets de relancer : les tableaux de bord sont toujours indisponibles chez nous.",
        "Désolé d'insister, mais quelqu'un regarde-t-il le problème ? Ça ne fonctionne toujours pas.",
    ],
    "cu_nudge2": [
        "C'est la troisième fois que je vous écris. Nous sommes sans rapports depuis deux jours. Merci de m'appeler au {phone} au plus vite.",
        "Toujours aucune nouvelle. Pouvez-vous escalader le problème ? Notre conseil d'administration a lieu demain.",
    ],
    "cu_thanks": [
        "Merci, tout fonctionne à nouveau !",
        "C'est confirmé, les tableaux de bord s'affichent. Merci pour la réactivité.",
    ],
    "u_support_reply": [
        "Bonjour {first},\n\nmerci de nous avoir prévenus, nous regardons cela tout de suite et je reviens vers vous dans l'heure.",
        "Bonjour {first},\n\ndésolé pour la gêne. La cause est identifiée et le correctif est en cours de déploiement.",
    ],
    "ap_subject": ["Candidature : {role}", "Candidature au poste de {role} – {me}", "Votre offre {role}"],
    "ap_first": [
        "Bonjour {first},\n\nje vous adresse ma candidature pour le poste de {role} publié sur votre site. J'ai quatre ans d'expérience en Python, SQL et dbt, dernièrement dans une fintech à Paris. Vous trouverez mon CV en pièce jointe.\n\nJe serais ravie d'échanger avec vous.\n\nBien cordialement,\n{me}",
        "Madame, Monsieur,\n\nveuillez trouver ci-joint ma candidature au poste de {role}. Diplômé d'un master en statistiques, je travaille depuis un an sur des modèles de prévision.\n\nCordialement,\n{me}",
    ],
    "ap_nudge": [
        "Bonjour {first},\n\nje me permets de revenir vers vous concernant ma candidature au poste de {role}. Je reste très motivée.\n\nBien cordialement,\n{me}",
        "Bonjour, je voulais m'assurer que ma candidature vous était bien parvenue. Merci d'avance, {me_first}",
    ],
    "u_ap_reply": [
        "Bonjour {first},\n\nmerci pour votre candidature. Nous étudions tous les dossiers cette semaine et reviendrons vers vous d'ici vendredi."
    ],
    "jo_subject": [
        "Demande presse : la donnée dans le commerce",
        "Demande d'interview – {outlet}",
        "Pour un article dans {outlet}",
    ],
    "jo_first": [
        "Bonjour {first},\n\nje suis journaliste à {outlet} et je prépare un article sur l'usage de l'analytique chez les distributeurs. Seriez-vous disponible pour un court entretien avant {weekday} ?\n\nBien à vous,\n{me}",
        "Bonjour,\n\npour un article dans {outlet} sur la récente décision de la CNIL, j'aimerais recueillir l'avis de {company}. Je boucle {weekday} midi.\n\nMerci,\n{me}",
    ],
    "jo_nudge": [
        "Bonjour {first}, je me permets de relancer ma demande – je boucle demain. Deux phrases suffiraient.",
        "Je reviens vers vous au cas où mon message se serait perdu.",
    ],
    "le_subject": ["Demande de devis {product}", "Tarifs pour 40 utilisateurs ?", "Intéressés par {product}"],
    "le_first": [
        "Bonjour,\n\nnous cherchons un outil d'analyse pour notre équipe commerciale de 40 personnes et {product} nous a été recommandé. Pourriez-vous nous envoyer un devis ? Proposez-vous un essai ?\n\nMerci,\n{me}\n{my_company}",
        "Bonjour {first},\n\nnous nous sommes croisés au salon. Nous aimerions un devis pour {product}, environ 25 utilisateurs avec SSO.\n\nCordialement,\n{me}",
    ],
    "le_nudge": [
        "Bonjour {first}, avez-vous pu préparer le devis ? Nous souhaitons décider d'ici la fin du mois.",
        "Je relance au sujet du devis : notre réunion budget a lieu {weekday}.",
    ],
    "u_le_reply": [
        "Bonjour {first},\n\nmerci pour votre intérêt ! Vous trouverez ci-joint le devis pour 40 licences ; l'essai peut démarrer quand vous voulez."
    ],
    "ve_subject": ["Votre demande via notre site", "Votre devis n° {ticket}", "Suite à votre demande"],
    "ve_first": [
        "Bonjour {first},\n\nmerci d'avoir rempli le formulaire de contact sur notre site. Comme demandé, voici le devis pour le connecteur, formule Business.\n\nBien cordialement,\n{me}\n{my_company}",
        "Bonjour {first},\n\nsuite à votre demande concernant des bureaux assis-debout, vous trouverez ci-joint notre offre pour 20 postes, livraison et montage compris.\n\nCordialement,\n{me}",
    ],
    "ve_nudge": [
        "Bonjour {first}, je voulais savoir si notre devis correspondait à votre demande.",
        "N'hésitez pas à me dire si vous souhaitez que nous ajustions l'offre.",
    ],
    "fr_subject": ["déj ?", "un café ?", "petite question", "merci pour hier", "apéro vendredi ?"],
    "fr_reply": [
        "Avec plaisir !",
        "Ok pour 12 h 30 ?",
        "Parfait, à tout à l'heure.",
        "Pas cette semaine, mardi prochain ?",
        "Merci, je m'en occupe.",
    ],
    "fr_body": [
        "Salut {first}, on déjeune ensemble ?",
        "Coucou {first}, un café jeudi ? Je passe en ville.",
        "Merci pour hier, c'était super !",
        "Apéro vendredi après le boulot ?",
        "Joyeux anniversaire {first} !",
    ],
    "pa_subject": [
        "Renouvellement du contrat",
        "Compte rendu de l'appel",
        "Livraison des données T4",
        "Prochaines étapes de l'intégration",
    ],
    "pa_out": [
        "Bonjour {first},\n\nmerci pour l'échange de tout à l'heure. Comme convenu, voici le projet d'avenant – pourriez-vous le relire d'ici {weekday} ?",
        "Bonjour {first},\n\npourriez-vous nous envoyer l'extraction T4 dès qu'elle est prête ? Même format que la dernière fois.",
    ],
    "pa_in": [
        "Bonjour {first},\n\nmerci, c'est bon pour nous. Deux remarques sur l'article 4, sinon nous pouvons signer.",
        "Merci {first}, c'est noté. Je vous envoie le fichier {weekday}.",
    ],
    "nc_subject": [
        "Ravi de vous avoir rencontré au salon",
        "Les slides du Data Summit",
        "Suite à notre échange à la conférence",
    ],
    "nc_body": [
        "Bonjour {first},\n\nravi de vous avoir rencontré hier au salon – voici, comme promis, les slides de ma présentation.\n\nBien à vous,\n{me}",
        "Bonjour {first},\n\nmerci pour la discussion au dîner de la conférence. Vous trouverez ci-joint les slides et le lien vers l'article dont nous avons parlé.\n\n{me_first}",
    ],
    "nc_reply": ["Merci {first}, ravie également ! Je regarde ça cette semaine."],
    "li_accept_subject": [
        "{name} a accepté votre invitation",
        "Vous êtes maintenant en relation avec {name}",
    ],
    "li_accept_body": [
        "{name} a accepté votre invitation. Commencez une conversation.\n\nVoir le profil : {link}\n\nVous recevez les e-mails de notification d'invitation.\nSe désabonner : {link}\n\n© LinkedIn Corporation"
    ],
    "in_subject": [
        "Slides pour jeudi",
        "Séminaire d'équipe",
        "Tu peux relire ?",
        "Chiffres T4",
        "Remplacement congés",
    ],
    "in_body": [
        "Salut {first},\n\ntu peux jeter un œil aux slides avant jeudi ? Surtout 5 à 9.\n\nMerci,\n{me_first}",
        "Bonjour à tous,\n\nles chiffres du T4 sont dans le dossier partagé. Merci de vérifier vos lignes d'ici {weekday}.",
        "{first}, tu peux reprendre mes appels lundi ? Je suis malade.",
    ],
    "nl_names": ["La Lettre Data", "L'Hebdo Analytique", "Nouveautés Produit", "Le Brief Tech"],
    "nl_subject": ["{nl} n°{n} : {topic}", "Cette semaine : {topic}", "{topic} – et plus encore"],
    "nl_intro": [
        "Bienvenue dans ce nouveau numéro.",
        "Voici ce qui a retenu notre attention cette semaine.",
        "Merci de nous lire – voici le numéro {n}.",
    ],
    "nl_promo": [
        "Webinaire {weekday} : la prévision avec les nouvelles plateformes data – inscrivez-vous",
        "Nouveau : notre module de prévision est disponible. Réservez une démo",
        "-20 % sur les abonnements annuels jusqu'à vendredi",
        "Dernière chance pour les billets early bird de notre conférence utilisateurs",
    ],
    "nl_item": [
        "Pourquoi les contrats de données s'imposent",
        "Cinq tableaux de bord qui nous ont plu",
        "Ce que le règlement IA change pour les analystes",
        "Agenda des événements de novembre",
    ],
    "nl_footer": [
        "Vous recevez cette lettre car vous vous êtes inscrit sur {brand_host}. Se désinscrire : {link}"
    ],
    "tx_order_subject": ["Votre commande n° {order} est confirmée", "Confirmation de commande {order}"],
    "tx_order_body": [
        "Bonjour {first},\n\nmerci pour votre commande n° {order}. Montant total : {amount}. Nous vous préviendrons dès son expédition.\n\nVoir la commande : {link}"
    ],
    "tx_ship_subject": ["Votre commande {order} a été expédiée", "Votre colis est en route"],
    "tx_ship_body": [
        "Bonne nouvelle {first} ! Votre commande {order} a été expédiée et devrait arriver {weekday}. Suivi : {link}"
    ],
    "tx_invoice_subject": ["Votre facture {order}", "Reçu de paiement", "Facture {order} – {brand}"],
    "tx_invoice_body": [
        "Bonjour {first},\n\nvotre facture {order} d'un montant de {amount} est disponible dans votre espace client. Le prélèvement sera effectué automatiquement.\n\n{link}"
    ],
    "tx_reset_subject": [
        "Réinitialisez votre mot de passe",
        "Votre code de connexion",
        "Alerte de sécurité : nouvelle connexion",
    ],
    "tx_reset_body": [
        "Bonjour {first},\n\nnous avons reçu une demande de réinitialisation de votre mot de passe. Ce lien est valable 30 minutes : {link}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail."
    ],
    "ca_summary": [
        "OPTION : planification T4",
        "Revue trimestrielle",
        "Point {first} / {me_first}",
        "Lancement du projet",
    ],
    "ca_body": [
        "{me} vous a invité : {summary}\nQuand : {weekday} 10:00-11:00\nRejoindre : {link}",
        "Invitation : {summary}\n{weekday}, 14:00 - 15:00\nMerci d'accepter ou de refuser.",
        "Je bloque ce créneau pour {summary} – l'ordre du jour suivra.",
    ],
}
