//! French and Dutch for the texts the API writes for people: the titles, details and field
//! messages of problem documents, and the titles of notifications. Each entry is the English text as the code writes it, with a
//! named `{placeholder}` where the code fills in a value; the translations use the same names.
//! Values (numbers, codes between backticks, field names) are kept as they are. A
//! completeness test checks that every message in the source has an entry here.

pub(super) struct Entry {
    pub en: &'static str,
    pub fr: &'static str,
    pub nl: &'static str,
}

const fn e(en: &'static str, fr: &'static str, nl: &'static str) -> Entry {
    Entry { en, fr, nl }
}

pub(super) const ENTRIES: &[Entry] = &[
    // Titles: the HTTP status's reason phrase.
    e("Bad Request", "Requête incorrecte", "Ongeldig verzoek"),
    e("Unauthorized", "Non authentifié", "Niet aangemeld"),
    e("Forbidden", "Interdit", "Niet toegestaan"),
    e("Not Found", "Introuvable", "Niet gevonden"),
    e(
        "Method Not Allowed",
        "Méthode non autorisée",
        "Methode niet toegestaan",
    ),
    e("Conflict", "Conflit", "Conflict"),
    e(
        "Payload Too Large",
        "Contenu trop volumineux",
        "Inhoud te groot",
    ),
    e(
        "Unsupported Media Type",
        "Type de contenu non pris en charge",
        "Inhoudstype niet ondersteund",
    ),
    e(
        "Unprocessable Entity",
        "Données non valides",
        "Ongeldige gegevens",
    ),
    e(
        "Precondition Failed",
        "Condition préalable non remplie",
        "Voorwaarde niet vervuld",
    ),
    e(
        "Precondition Required",
        "Condition préalable requise",
        "Voorwaarde vereist",
    ),
    e("Too Many Requests", "Trop de requêtes", "Te veel verzoeken"),
    e(
        "Internal Server Error",
        "Erreur interne du serveur",
        "Interne serverfout",
    ),
    e(
        "Service Unavailable",
        "Service indisponible",
        "Dienst niet beschikbaar",
    ),
    // Details of the API's own problems.
    e(
        "No resource exists at this address.",
        "Aucune ressource n'existe à cette adresse.",
        "Op dit adres bestaat niets.",
    ),
    e(
        "Some fields are invalid; see `errors`.",
        "Certains champs ne sont pas valides ; voir `errors`.",
        "Sommige velden zijn ongeldig; zie `errors`.",
    ),
    e(
        "These credentials fit accounts in several organisations: name one with `tenant`.",
        "Ces identifiants correspondent à des comptes de plusieurs organisations : indiquez-en une avec `tenant`.",
        "Deze gegevens passen bij accounts in meerdere organisaties: noem er één met `tenant`.",
    ),
    e(
        "A case in `{from}` can move to: {to}.",
        "Un dossier à l'étape `{from}` peut passer à : {to}.",
        "Een dossier in `{from}` kan naar: {to}.",
    ),
    e(
        "nowhere (it is closed)",
        "nulle part (il est clôturé)",
        "nergens (het is afgesloten)",
    ),
    e(
        "The resource changed since you read it: read it again and reapply your change.",
        "La ressource a changé depuis que vous l'avez lue : relisez-la et refaites votre modification.",
        "De gegevens zijn gewijzigd sinds u ze las: lees ze opnieuw en breng uw wijziging opnieuw aan.",
    ),
    e(
        "Send If-Match with the ETag you read, so a colleague's change is not overwritten.",
        "Envoyez If-Match avec l'ETag que vous avez lu, pour ne pas écraser la modification d'un collègue.",
        "Stuur If-Match mee met de ETag die u las, zodat u de wijziging van een collega niet overschrijft.",
    ),
    e(
        "Too many requests: try again in {seconds} seconds.",
        "Trop de requêtes : réessayez dans {seconds} secondes.",
        "Te veel verzoeken: probeer het over {seconds} seconden opnieuw.",
    ),
    e(
        "The server could not complete the request. Quote the instance when reporting it.",
        "Le serveur n'a pas pu traiter la requête. Citez l'instance en signalant le problème.",
        "De server kon het verzoek niet afhandelen. Vermeld de instance als u dit meldt.",
    ),
    e(
        "The e-mail address or password is wrong.",
        "L'adresse e-mail ou le mot de passe est incorrect.",
        "Het e-mailadres of het wachtwoord is onjuist.",
    ),
    e(
        "This account or its organisation is not active.",
        "Ce compte ou son organisation n'est pas actif.",
        "Dit account of de organisatie ervan is niet actief.",
    ),
    e(
        "The token has expired.",
        "Le jeton a expiré.",
        "Het token is verlopen.",
    ),
    e(
        "The token is not valid.",
        "Le jeton n'est pas valide.",
        "Het token is ongeldig.",
    ),
    e(
        "Your roles do not allow this.",
        "Vos rôles ne le permettent pas.",
        "Uw rollen laten dit niet toe.",
    ),
    e(
        "This would duplicate an existing record.",
        "Cela ferait double emploi avec un enregistrement existant.",
        "Dit zou een bestaand gegeven dubbel maken.",
    ),
    e(
        "This refers to a record that does not exist or is still in use.",
        "Cela renvoie à un enregistrement qui n'existe pas ou qui est encore utilisé.",
        "Dit verwijst naar een gegeven dat niet bestaat of nog in gebruik is.",
    ),
    e(
        "Not ready: the database does not answer.",
        "Pas prêt : la base de données ne répond pas.",
        "Niet klaar: de database antwoordt niet.",
    ),
    e(
        "Not ready: the cache does not answer.",
        "Pas prêt : le cache ne répond pas.",
        "Niet klaar: de cache antwoordt niet.",
    ),
    e(
        "Not ready: neither the database nor the cache answers.",
        "Pas prêt : ni la base de données ni le cache ne répondent.",
        "Niet klaar: de database noch de cache antwoordt.",
    ),
    e(
        "The database is not answering; try again shortly.",
        "La base de données ne répond pas ; réessayez dans un instant.",
        "De database antwoordt niet; probeer het zo meteen opnieuw.",
    ),
    e(
        "The request body must be sent as application/json.",
        "Le corps de la requête doit être envoyé en application/json.",
        "De inhoud van het verzoek moet als application/json worden verstuurd.",
    ),
    e(
        "The request body is larger than the limit of {limit} bytes.",
        "Le corps de la requête dépasse la limite de {limit} octets.",
        "De inhoud van het verzoek is groter dan de limiet van {limit} bytes.",
    ),
    e(
        "The request body is larger than the configured limit.",
        "Le corps de la requête dépasse la limite configurée.",
        "De inhoud van het verzoek is groter dan de ingestelde limiet.",
    ),
    e(
        "The request body does not match the expected shape: {message}.",
        "Le corps de la requête n'a pas la forme attendue : {message}.",
        "De inhoud van het verzoek heeft niet de verwachte vorm: {message}.",
    ),
    e(
        "The request body is not valid JSON (line {line}, column {column}).",
        "Le corps de la requête n'est pas du JSON valide (ligne {line}, colonne {column}).",
        "De inhoud van het verzoek is geen geldige JSON (regel {line}, kolom {column}).",
    ),
    e(
        "The request body must be a JSON object.",
        "Le corps de la requête doit être un objet JSON.",
        "De inhoud van het verzoek moet een JSON-object zijn.",
    ),
    e(
        "Text in the request body must not contain the NUL character (\\u0000).",
        "Le texte du corps de la requête ne doit pas contenir le caractère NUL (\\u0000).",
        "Tekst in de inhoud van het verzoek mag het NUL-teken (\\u0000) niet bevatten.",
    ),
    e(
        "Text in the query string must not contain the NUL character (%00).",
        "Le texte de la chaîne de requête ne doit pas contenir le caractère NUL (%00).",
        "Tekst in de querystring mag het NUL-teken (%00) niet bevatten.",
    ),
    e(
        "The request body could not be read.",
        "Le corps de la requête n'a pas pu être lu.",
        "De inhoud van het verzoek kon niet worden gelezen.",
    ),
    e(
        "The query string has an unknown parameter or a value of the wrong kind.",
        "La chaîne de requête contient un paramètre inconnu ou une valeur du mauvais type.",
        "De querystring bevat een onbekende parameter of een waarde van de verkeerde soort.",
    ),
    e(
        "A path parameter is malformed.",
        "Un paramètre du chemin est mal formé.",
        "Een parameter in het pad is misvormd.",
    ),
    e(
        "This resource does not support the request method.",
        "Cette ressource ne prend pas en charge la méthode de la requête.",
        "Deze resource ondersteunt de methode van het verzoek niet.",
    ),
    e(
        "The request could not be processed.",
        "La requête n'a pas pu être traitée.",
        "Het verzoek kon niet worden verwerkt.",
    ),
    e(
        "Send an access token: `Authorization: Bearer <token>`.",
        "Envoyez un jeton d'accès : `Authorization: Bearer <token>`.",
        "Stuur een toegangstoken mee: `Authorization: Bearer <token>`.",
    ),
    e(
        "A request with this Idempotency-Key is still being processed; retry shortly.",
        "Une requête avec cette Idempotency-Key est encore en cours de traitement ; réessayez dans un instant.",
        "Een verzoek met deze Idempotency-Key wordt nog verwerkt; probeer het zo meteen opnieuw.",
    ),
    e(
        "No refresh token came with the request.",
        "La requête ne contenait pas de jeton de renouvellement.",
        "Het verzoek bevatte geen vernieuwingstoken.",
    ),
    e(
        "No refresh cookie came with the request.",
        "La requête ne contenait pas de cookie de renouvellement.",
        "Het verzoek bevatte geen vernieuwingscookie.",
    ),
    e(
        "Only platform administrators may do this.",
        "Seuls les administrateurs de la plateforme peuvent le faire.",
        "Alleen platformbeheerders mogen dit doen.",
    ),
    e(
        "Platform administrators cannot reach an organisation's data.",
        "Les administrateurs de la plateforme n'ont pas accès aux données d'une organisation.",
        "Platformbeheerders hebben geen toegang tot de gegevens van een organisatie.",
    ),
    e(
        "The cursor is not one this API gave out.",
        "Ce curseur n'a pas été émis par cette API.",
        "Deze cursor is niet door deze API uitgegeven.",
    ),
    e(
        "`from` must not be after `to`.",
        "`from` ne doit pas être postérieur à `to`.",
        "`from` mag niet na `to` liggen.",
    ),
    e(
        "`assignee` must be `me` or a user id.",
        "`assignee` doit valoir `me` ou l'identifiant d'un utilisateur.",
        "`assignee` moet `me` of de id van een gebruiker zijn.",
    ),
    e(
        "`role` is not a known role.",
        "`role` n'est pas un rôle connu.",
        "`role` is geen bekende rol.",
    ),
    e(
        "`status` must be active or closed.",
        "`status` doit valoir active ou closed.",
        "`status` moet active of closed zijn.",
    ),
    e(
        "`status` must be available or out_of_service.",
        "`status` doit valoir available ou out_of_service.",
        "`status` moet available of out_of_service zijn.",
    ),
    e(
        "`status` must be invited, active or deactivated.",
        "`status` doit valoir invited, active ou deactivated.",
        "`status` moet invited, active of deactivated zijn.",
    ),
    e(
        "A filter in the query string is not a code of the form it takes.",
        "Un filtre de la chaîne de requête n'est pas un code de la forme qu'il attend.",
        "Een filter in de querystring is geen code van de vorm die het verwacht.",
    ),
    e(
        "`limit` must be between 1 and {max}.",
        "`limit` doit être compris entre 1 et {max}.",
        "`limit` moet tussen 1 en {max} liggen.",
    ),
    // Conflicts.
    e(
        "A `{from}` placement cannot become `{to}`.",
        "Un placement `{from}` ne peut pas devenir `{to}`.",
        "Een plaatsing die `{from}` is, kan niet `{to}` worden.",
    ),
    e(
        "A case keeps at least one team member.",
        "Un dossier garde au moins un membre d'équipe.",
        "Een dossier houdt minstens één teamlid.",
    ),
    e(
        "A closed case cannot be placed.",
        "Un dossier clôturé ne peut pas faire l'objet d'un placement.",
        "Voor een afgesloten dossier kan geen plaatsing worden gemaakt.",
    ),
    e(
        "A platform administrator with this e-mail exists.",
        "Un administrateur de la plateforme avec cette adresse e-mail existe déjà.",
        "Er bestaat al een platformbeheerder met dit e-mailadres.",
    ),
    e(
        "A referral that is `{from}` can move to: {to}.",
        "Une orientation à l'état `{from}` peut passer à : {to}.",
        "Een doorverwijzing die `{from}` is, kan naar: {to}.",
    ),
    e(
        "nowhere (it is final)",
        "nulle part (il est définitif)",
        "nergens (het is definitief)",
    ),
    e(
        "A user with this e-mail address already exists.",
        "Un utilisateur avec cette adresse e-mail existe déjà.",
        "Er bestaat al een gebruiker met dit e-mailadres.",
    ),
    e(
        "An erasure of this client awaits approval already.",
        "Un effacement de ce client attend déjà d'être approuvé.",
        "Een wissing van deze cliënt wacht al op goedkeuring.",
    ),
    e(
        "Another administrator must approve this erasure.",
        "Un autre administrateur doit approuver cet effacement.",
        "Een andere beheerder moet deze wissing goedkeuren.",
    ),
    e(
        "Another bed in this room already has this label.",
        "Un autre lit de cette chambre porte déjà cette étiquette.",
        "Een ander bed in deze kamer heeft dit label al.",
    ),
    e(
        "Another room of this shelter already has this name.",
        "Une autre chambre de ce foyer porte déjà ce nom.",
        "Een andere kamer van deze opvang heeft deze naam al.",
    ),
    e(
        "Another shelter of this organisation already has this name.",
        "Un autre foyer de cette organisation porte déjà ce nom.",
        "Een andere opvang van deze organisatie heeft deze naam al.",
    ),
    e(
        "Another tenant already uses this slug.",
        "Une autre organisation utilise déjà cet identifiant (slug).",
        "Een andere organisatie gebruikt deze slug al.",
    ),
    e(
        "Only a pending proposal can be reviewed.",
        "Seule une proposition en attente peut être examinée.",
        "Alleen een voorstel dat nog openstaat, kan worden beoordeeld.",
    ),
    e(
        "Only a proposal awaiting verification can be verified or rejected.",
        "Seule une proposition en attente de vérification peut être vérifiée ou refusée.",
        "Alleen een voorstel dat op controle wacht, kan worden gecontroleerd of afgewezen.",
    ),
    e(
        "Only a shared entry awaiting verification can be verified or rejected.",
        "Seule une fiche partagée en attente de vérification peut être vérifiée ou refusée.",
        "Alleen een gedeelde vermelding die op controle wacht, kan worden gecontroleerd of afgewezen.",
    ),
    e(
        "Referrals point at this entry; it stays in the directory.",
        "Des orientations renvoient à cette fiche ; elle reste dans le répertoire.",
        "Er verwijzen doorverwijzingen naar deze vermelding; ze blijft in de gids.",
    ),
    e(
        "The bed has placements ({placements}) on record: set its status to out_of_service instead of removing it.",
        "Le lit a des placements enregistrés ({placements}) : mettez son statut à out_of_service au lieu de le supprimer.",
        "Het bed heeft geregistreerde plaatsingen ({placements}): zet de status op out_of_service in plaats van het te verwijderen.",
    ),
    e(
        "The capacity cannot be lower than the number of beds the shelter has ({beds}); remove beds first.",
        "La capacité ne peut pas être inférieure au nombre de lits du foyer ({beds}) ; retirez d'abord des lits.",
        "De capaciteit kan niet lager zijn dan het aantal bedden van de opvang ({beds}); verwijder eerst bedden.",
    ),
    e(
        "The case is closed.",
        "Le dossier est clôturé.",
        "Het dossier is afgesloten.",
    ),
    e(
        "The case is closed: its interviews are part of the final record.",
        "Le dossier est clôturé : ses entretiens font partie du dossier définitif.",
        "Het dossier is afgesloten: de gesprekken horen bij het definitieve dossier.",
    ),
    e(
        "The case is closed: its record is final.",
        "Le dossier est clôturé : son contenu est définitif.",
        "Het dossier is afgesloten: de inhoud is definitief.",
    ),
    e(
        "The case is closed: its support plan and service log are part of the final record.",
        "Le dossier est clôturé : son plan d'accompagnement et son journal des services font partie du dossier définitif.",
        "Het dossier is afgesloten: het begeleidingsplan en het dienstenlogboek horen bij het definitieve dossier.",
    ),
    e(
        "The case is closed; reopen work on it before referring.",
        "Le dossier est clôturé ; reprenez-le avant d'orienter la personne.",
        "Het dossier is afgesloten; heropen het voordat u doorverwijst.",
    ),
    e(
        "The client has no active consent to share with organisations of type {types}; record one in an interview first.",
        "Le client n'a pas donné de consentement en cours pour le partage avec les organisations de type {types} ; enregistrez-en un lors d'un entretien d'abord.",
        "De cliënt heeft geen geldige toestemming om te delen met organisaties van het type {types}; leg die eerst vast in een gesprek.",
    ),
    e(
        "The client withdrew the consent this referral rested on; its pack is no longer shared.",
        "Le client a retiré le consentement sur lequel reposait cette orientation ; son dossier n'est plus partagé.",
        "De cliënt heeft de toestemming ingetrokken waarop deze doorverwijzing steunde; het pakket wordt niet meer gedeeld.",
    ),
    e(
        "The client's record was erased; nothing can be shared.",
        "Les données du client ont été effacées ; rien ne peut être partagé.",
        "De gegevens van de cliënt zijn gewist; er kan niets worden gedeeld.",
    ),
    e(
        "The client's record was erased; nothing more can be written.",
        "Les données du client ont été effacées ; plus rien ne peut être enregistré.",
        "De gegevens van de cliënt zijn gewist; er kan niets meer worden vastgelegd.",
    ),
    e(
        "The course has a newer version than the one this proposal starts from.",
        "Le cours a une version plus récente que celle dont part cette proposition.",
        "De cursus heeft een nieuwere versie dan die waarvan dit voorstel uitgaat.",
    ),
    e(
        "The room still has beds ({beds}): remove or move them first.",
        "La chambre a encore des lits ({beds}) : retirez-les ou déplacez-les d'abord.",
        "De kamer heeft nog bedden ({beds}): verwijder of verplaats ze eerst.",
    ),
    e(
        "The shelter is closed: reopen it (status `active`) before adding rooms or beds.",
        "Le foyer est fermé : rouvrez-le (statut `active`) avant d'ajouter des chambres ou des lits.",
        "De opvang is gesloten: heropen ze (status `active`) voordat u kamers of bedden toevoegt.",
    ),
    e(
        "The shelter still has beds ({beds}): close it (status `closed`) to keep its history, or remove its beds first.",
        "Le foyer a encore des lits ({beds}) : fermez-le (statut `closed`) pour garder son historique, ou retirez d'abord ses lits.",
        "De opvang heeft nog bedden ({beds}): sluit ze (status `closed`) om de geschiedenis te bewaren, of verwijder eerst de bedden.",
    ),
    e(
        "The shelter's beds already fill its capacity of {capacity}: raise the capacity before adding a bed.",
        "Les lits du foyer atteignent déjà sa capacité de {capacity} : augmentez la capacité avant d'ajouter un lit.",
        "De bedden van de opvang vullen de capaciteit van {capacity} al: verhoog de capaciteit voordat u een bed toevoegt.",
    ),
    e(
        "This bed is already taken for some of these dates.",
        "Ce lit est déjà occupé à certaines de ces dates.",
        "Dit bed is op sommige van deze data al bezet.",
    ),
    e(
        "This bed is out of service.",
        "Ce lit est hors service.",
        "Dit bed is buiten gebruik.",
    ),
    e(
        "This client already has an open case; close it before opening another.",
        "Ce client a déjà un dossier ouvert ; clôturez-le avant d'en ouvrir un autre.",
        "Deze cliënt heeft al een open dossier; sluit het af voordat u een nieuw opent.",
    ),
    e(
        "This client's data was erased already.",
        "Les données de ce client ont déjà été effacées.",
        "De gegevens van deze cliënt zijn al gewist.",
    ),
    e(
        "This client's data was erased.",
        "Les données de ce client ont été effacées.",
        "De gegevens van deze cliënt zijn gewist.",
    ),
    e(
        "This consent was withdrawn already.",
        "Ce consentement a déjà été retiré.",
        "Deze toestemming is al ingetrokken.",
    ),
    e(
        "This erasure was carried out already.",
        "Cet effacement a déjà été effectué.",
        "Deze wissing is al uitgevoerd.",
    ),
    e(
        "This placement has ended.",
        "Ce placement est terminé.",
        "Deze plaatsing is beëindigd.",
    ),
    e(
        "This referral was answered already, or its sender withdrew it.",
        "Cette orientation a déjà reçu une réponse, ou son expéditeur l'a retirée.",
        "Op deze doorverwijzing is al geantwoord, of de afzender heeft ze ingetrokken.",
    ),
    e(
        "This shelter is closed.",
        "Ce foyer est fermé.",
        "Deze opvang is gesloten.",
    ),
    e(
        "This user has not set a password yet; they activate their account with their invitation.",
        "Cet utilisateur n'a pas encore choisi de mot de passe ; il active son compte avec son invitation.",
        "Deze gebruiker heeft nog geen wachtwoord ingesteld; het account wordt geactiveerd met de uitnodiging.",
    ),
    e(
        "This user is already assigned to this shelter.",
        "Cet utilisateur est déjà affecté à ce foyer.",
        "Deze gebruiker is al aan deze opvang toegewezen.",
    ),
    e(
        "This user is deactivated and cannot be assigned to a shelter.",
        "Cet utilisateur est désactivé et ne peut pas être affecté à un foyer.",
        "Deze gebruiker is gedeactiveerd en kan niet aan een opvang worden toegewezen.",
    ),
    e(
        "You cannot remove your own administrator role or deactivate yourself.",
        "Vous ne pouvez pas retirer votre propre rôle d'administrateur ni vous désactiver.",
        "U kunt uw eigen beheerdersrol niet afnemen en uzelf niet deactiveren.",
    ),
    // Messages on invalid fields.
    e(
        "a new placement is `reserved` or `admitted`",
        "un nouveau placement est `reserved` ou `admitted`",
        "een nieuwe plaatsing is `reserved` of `admitted`",
    ),
    e("at most {n}", "au maximum {n}", "hoogstens {n}"),
    e(
        "at most {n} locales",
        "au maximum {n} langues",
        "hoogstens {n} talen",
    ),
    e(
        "at most {n} at a time",
        "au maximum {n} à la fois",
        "hoogstens {n} tegelijk",
    ),
    e(
        "change at least one field",
        "modifiez au moins un champ",
        "wijzig minstens één veld",
    ),
    e(
        "courses the platform curates are shared",
        "les cours gérés par la plateforme sont partagés",
        "cursussen die het platform beheert, zijn gedeeld",
    ),
    e(
        "does not match identity.date_of_birth",
        "ne correspond pas à identity.date_of_birth",
        "komt niet overeen met identity.date_of_birth",
    ),
    e(
        "each kind of risk is assessed once",
        "chaque type de risque est évalué une seule fois",
        "elk soort risico wordt één keer beoordeeld",
    ),
    e(
        "each must be 1 to {max} characters",
        "chacun doit compter de 1 à {max} caractères",
        "elk moet 1 tot {max} tekens tellen",
    ),
    e(
        "each must be a user of your organisation",
        "chacun doit être un utilisateur de votre organisation",
        "elk moet een gebruiker van uw organisatie zijn",
    ),
    e(
        "each name must be 1 to {max} characters on one line",
        "chaque nom doit compter de 1 à {max} caractères sur une ligne",
        "elke naam moet 1 tot {max} tekens op één regel tellen",
    ),
    e(
        "give the link of an online session",
        "indiquez le lien d'une session en ligne",
        "geef de link van een online sessie",
    ),
    e(
        "has more answers than checklist version {version} has indicators ({count})",
        "a plus de réponses que la version {version} de la liste n'a d'indicateurs ({count})",
        "heeft meer antwoorden dan versie {version} van de checklist indicatoren heeft ({count})",
    ),
    e(
        "identifying fields (name, date_of_birth, contact) travel only under the client's consent",
        "les champs identifiants (name, date_of_birth, contact) ne sont transmis qu'avec le consentement du client",
        "identificerende velden (name, date_of_birth, contact) gaan alleen mee met toestemming van de cliënt",
    ),
    e(
        "is a type of the `{area}` area, not of `{other}`",
        "est un type du domaine `{area}`, pas de `{other}`",
        "is een type van het domein `{area}`, niet van `{other}`",
    ),
    e(
        "is before `from`",
        "est antérieur à `from`",
        "ligt voor `from`",
    ),
    e(
        "is before the placement started",
        "est antérieur au début du placement",
        "ligt voor het begin van de plaatsing",
    ),
    e(
        "is given only for `sharing_with_partners`",
        "n'est indiqué que pour `sharing_with_partners`",
        "wordt alleen opgegeven voor `sharing_with_partners`",
    ),
    e(
        "is given only when an interpreter was used",
        "n'est indiqué que si un interprète était présent",
        "wordt alleen opgegeven als er een tolk was",
    ),
    e(
        "is given only when closing",
        "n'est indiqué qu'à la clôture",
        "wordt alleen opgegeven bij het afsluiten",
    ),
    e(
        "is given only with `consent_override`",
        "n'est indiqué qu'avec `consent_override`",
        "wordt alleen opgegeven met `consent_override`",
    ),
    e(
        "is given only with `status: left`",
        "n'est indiqué qu'avec `status: left`",
        "wordt alleen opgegeven met `status: left`",
    ),
    e(
        "is no organisation on Haven",
        "n'est pas une organisation sur Haven",
        "is geen organisatie op Haven",
    ),
    e(
        "is no shelter of yours",
        "n'est pas l'un de vos foyers",
        "is geen opvang van u",
    ),
    e(
        "is not a case you may see",
        "n'est pas un dossier que vous pouvez consulter",
        "is geen dossier dat u mag inzien",
    ),
    e(
        "is not a goal of this case",
        "n'est pas un objectif de ce dossier",
        "is geen doel van dit dossier",
    ),
    e(
        "is not a known template",
        "n'est pas un modèle connu",
        "is geen bekend sjabloon",
    ),
    e(
        "is not a published checklist version (the current one is {version})",
        "n'est pas une version publiée de la liste (la version actuelle est {version})",
        "is geen gepubliceerde versie van de checklist (de huidige is {version})",
    ),
    e(
        "is not a service this organisation offers",
        "n'est pas un service offert par cette organisation",
        "is geen dienst die deze organisatie aanbiedt",
    ),
    e(
        "is not a service type (see GET /api/v1/service-types)",
        "n'est pas un type de service (voir GET /api/v1/service-types)",
        "is geen soort dienst (zie GET /api/v1/service-types)",
    ),
    e(
        "is not a shelter of this organisation",
        "n'est pas un foyer de cette organisation",
        "is geen opvang van deze organisatie",
    ),
    e(
        "is not a step of this organisation's procedure",
        "n'est pas une étape de la procédure de cette organisation",
        "is geen stap van de procedure van deze organisatie",
    ),
    e(
        "is not a step of this organisation's procedure template",
        "n'est pas une étape du modèle de procédure de cette organisation",
        "is geen stap van het proceduresjabloon van deze organisatie",
    ),
    e(
        "is not a user of this organisation",
        "n'est pas un utilisateur de cette organisation",
        "is geen gebruiker van deze organisatie",
    ),
    e(
        "is not an indicator of checklist version {version}",
        "n'est pas un indicateur de la version {version} de la liste",
        "is geen indicator van versie {version} van de checklist",
    ),
    e(
        "is not one this API gave out",
        "n'a pas été émis par cette API",
        "is niet door deze API uitgegeven",
    ),
    e(
        "is not the case code of a resident of this shelter",
        "n'est pas le code de dossier d'un résident de ce foyer",
        "is niet de dossiercode van een bewoner van deze opvang",
    ),
    e(
        "is out of range",
        "est hors limites",
        "valt buiten het bereik",
    ),
    e("is required", "est obligatoire", "is verplicht"),
    e(
        "is required to close a case",
        "est obligatoire pour clôturer un dossier",
        "is verplicht om een dossier af te sluiten",
    ),
    e(
        "is required when a client leaves",
        "est obligatoire quand un client part",
        "is verplicht als een cliënt vertrekt",
    ),
    e(
        "is required when an interpreter was used",
        "est obligatoire si un interprète était présent",
        "is verplicht als er een tolk was",
    ),
    e("is reserved", "est réservé", "is gereserveerd"),
    e("is too long", "est trop long", "is te lang"),
    e(
        "is too easy to guess (a common or breached password, or built on your name or e-mail); use a longer passphrase",
        "est trop facile à deviner (mot de passe courant ou divulgué, ou construit sur votre nom ou votre e-mail) ; choisissez une phrase de passe plus longue",
        "is te makkelijk te raden (een veelgebruikt of gelekt wachtwoord, of gebaseerd op uw naam of e-mail); kies een langere wachtzin",
    ),
    e(
        "may hold at most participant_count (and {max}) names",
        "peut contenir au maximum participant_count noms (et {max})",
        "mag hoogstens participant_count namen bevatten (en {max})",
    ),
    e(
        "may hold at most {max} items",
        "peut contenir au maximum {max} éléments",
        "mag hoogstens {max} items bevatten",
    ),
    e(
        "must be 1 to {max} characters",
        "doit compter de 1 à {max} caractères",
        "moet 1 tot {max} tekens tellen",
    ),
    e(
        "must be 1 to {max} characters on one line",
        "doit compter de 1 à {max} caractères sur une ligne",
        "moet 1 tot {max} tekens op één regel tellen",
    ),
    e(
        "must be 1 to {max} characters without control characters",
        "doit compter de 1 à {max} caractères, sans caractères de contrôle",
        "moet 1 tot {max} tekens tellen, zonder stuurtekens",
    ),
    e(
        "must be 1 to {max} characters without control characters (line breaks allowed)",
        "doit compter de 1 à {max} caractères, sans caractères de contrôle (retours à la ligne permis)",
        "moet 1 tot {max} tekens tellen, zonder stuurtekens (regeleinden toegestaan)",
    ),
    e(
        "must be 1 to {max} characters (line breaks allowed)",
        "doit compter de 1 à {max} caractères (retours à la ligne permis)",
        "moet 1 tot {max} tekens tellen (regeleinden toegestaan)",
    ),
    e(
        "must be 1 to {max} visible characters",
        "doit compter de 1 à {max} caractères visibles",
        "moet 1 tot {max} zichtbare tekens tellen",
    ),
    e(
        "must be 1 to 255 visible ASCII characters",
        "doit compter de 1 à 255 caractères ASCII visibles",
        "moet 1 tot 255 zichtbare ASCII-tekens tellen",
    ),
    e(
        "must be 1 to {max} minutes",
        "doit durer de 1 à {max} minutes",
        "moet 1 tot {max} minuten duren",
    ),
    e(
        "must be 1 to {max}",
        "doit être compris entre 1 et {max}",
        "moet tussen 1 en {max} liggen",
    ),
    e(
        "must be 2 to 63 lower-case letters, digits and single hyphens",
        "doit compter de 2 à 63 lettres minuscules, chiffres et traits d'union isolés",
        "moet 2 tot 63 kleine letters, cijfers en losse koppeltekens tellen",
    ),
    e(
        "must be `{a}` or `{b}`",
        "doit valoir `{a}` ou `{b}`",
        "moet `{a}` of `{b}` zijn",
    ),
    e(
        "must be a language tag such as `en`, `fr-BE` or `nl-BE`",
        "doit être une étiquette de langue comme `en`, `fr-BE` ou `nl-BE`",
        "moet een taalcode zijn zoals `en`, `fr-BE` of `nl-BE`",
    ),
    e(
        "must be a past date after 1900",
        "doit être une date passée, après 1900",
        "moet een datum in het verleden zijn, na 1900",
    ),
    e(
        "must be a past time after 2000",
        "doit être un moment passé, après 2000",
        "moet een tijdstip in het verleden zijn, na 2000",
    ),
    e(
        "must be a percentage, 0 to 100",
        "doit être un pourcentage, de 0 à 100",
        "moet een percentage zijn, van 0 tot 100",
    ),
    e(
        "must be a room of the bed's own shelter",
        "doit être une chambre du foyer du lit",
        "moet een kamer van de opvang van het bed zijn",
    ),
    e(
        "must be a telephone number of at most {max} characters",
        "doit être un numéro de téléphone d'au maximum {max} caractères",
        "moet een telefoonnummer van hoogstens {max} tekens zijn",
    ),
    e(
        "must be a telephone number such as `+32 3 000 00 00`",
        "doit être un numéro de téléphone comme `+32 3 000 00 00`",
        "moet een telefoonnummer zijn zoals `+32 3 000 00 00`",
    ),
    e(
        "must be a year between 1900 and this year",
        "doit être une année entre 1900 et l'année en cours",
        "moet een jaar tussen 1900 en dit jaar zijn",
    ),
    e(
        "must be after {what}",
        "doit être postérieur à {what}",
        "moet na {what} liggen",
    ),
    e(
        "must be after the review",
        "doit être postérieur à l'évaluation",
        "moet na de evaluatie liggen",
    ),
    e(
        "must be among {list}",
        "doit être parmi {list}",
        "moet een van deze zijn: {list}",
    ),
    e(
        "must be an IANA time zone such as `Europe/Brussels`",
        "doit être un fuseau horaire IANA comme `Europe/Brussels`",
        "moet een IANA-tijdzone zijn zoals `Europe/Brussels`",
    ),
    e(
        "must be an ISO 3166-1 alpha-2 country code",
        "doit être un code de pays ISO 3166-1 alpha-2",
        "moet een ISO 3166-1 alpha-2-landcode zijn",
    ),
    e(
        "must be an ISO 639 code such as `fr` or `tir`",
        "doit être un code ISO 639 comme `fr` ou `tir`",
        "moet een ISO 639-code zijn zoals `fr` of `tir`",
    ),
    e(
        "must be an ISO 639-1 code such as `en` or `fr`",
        "doit être un code ISO 639-1 comme `en` ou `fr`",
        "moet een ISO 639-1-code zijn zoals `en` of `fr`",
    ),
    e(
        "must be an e-mail address",
        "doit être une adresse e-mail",
        "moet een e-mailadres zijn",
    ),
    e(
        "must be an http(s) address of at most {max} characters",
        "doit être une adresse http(s) d'au maximum {max} caractères",
        "moet een http(s)-adres van hoogstens {max} tekens zijn",
    ),
    e(
        "must be an international number such as +32470123456",
        "doit être un numéro international comme +32470123456",
        "moet een internationaal nummer zijn zoals +32470123456",
    ),
    e(
        "must be at least {age} when minors are not admitted",
        "doit être d'au moins {age} quand les mineurs ne sont pas admis",
        "moet minstens {age} zijn als minderjarigen niet worden opgenomen",
    ),
    e(
        "must be below {age} when minors are admitted",
        "doit être inférieur à {age} quand les mineurs sont admis",
        "moet lager zijn dan {age} als minderjarigen worden opgenomen",
    ),
    e(
        "must be at least {min} characters",
        "doit compter au moins {min} caractères",
        "moet minstens {min} tekens tellen",
    ),
    e(
        "must be at most {max} characters",
        "doit compter au maximum {max} caractères",
        "mag hoogstens {max} tekens tellen",
    ),
    e(
        "must be at most {max} characters on one line",
        "doit compter au maximum {max} caractères sur une ligne",
        "mag hoogstens {max} tekens op één regel tellen",
    ),
    e(
        "must be before 2100",
        "doit être antérieur à 2100",
        "moet voor 2100 liggen",
    ),
    e(
        "must be between {min} and {max}",
        "doit être compris entre {min} et {max}",
        "moet tussen {min} en {max} liggen",
    ),
    e(
        "must be between the years 2000 and 2100",
        "doit se situer entre les années 2000 et 2100",
        "moet tussen de jaren 2000 en 2100 liggen",
    ),
    e(
        "must be within one year back and ten years ahead",
        "doit se situer entre un an en arrière et dix ans en avant",
        "moet tussen een jaar terug en tien jaar vooruit liggen",
    ),
    e(
        "must be within ten years back and one year ahead",
        "doit se situer entre dix ans en arrière et un an en avant",
        "moet tussen tien jaar terug en een jaar vooruit liggen",
    ),
    e(
        "must hold 1 to {max} modules",
        "doit contenir de 1 à {max} modules",
        "moet 1 tot {max} modules bevatten",
    ),
    e(
        "must name at least one gender",
        "doit indiquer au moins un genre",
        "moet minstens één gender noemen",
    ),
    e(
        "must name at least one role",
        "doit indiquer au moins un rôle",
        "moet minstens één rol noemen",
    ),
    e(
        "must not be before {what}",
        "ne doit pas être antérieur à {what}",
        "mag niet voor {what} liggen",
    ),
    e(
        "must not be below min_age",
        "ne doit pas être inférieur à min_age",
        "mag niet lager zijn dan min_age",
    ),
    e(
        "must not be in the future",
        "ne doit pas être dans le futur",
        "mag niet in de toekomst liggen",
    ),
    e(
        "name 1 to {max} interviewers",
        "indiquez de 1 à {max} intervenants",
        "noem 1 tot {max} interviewers",
    ),
    e(
        "name 1 to {max} languages",
        "indiquez de 1 à {max} langues",
        "noem 1 tot {max} talen",
    ),
    e(
        "name 1 to {max} learning objectives",
        "indiquez de 1 à {max} objectifs d'apprentissage",
        "noem 1 tot {max} leerdoelen",
    ),
    e(
        "name 1 to {max} participants",
        "indiquez de 1 à {max} participants",
        "noem 1 tot {max} deelnemers",
    ),
    e(
        "name 1 to {max} trainers",
        "indiquez de 1 à {max} formateurs",
        "noem 1 tot {max} trainers",
    ),
    e(
        "name a person, an organisation or a directory entry",
        "indiquez une personne, une organisation ou une fiche du répertoire",
        "noem een persoon, een organisatie of een vermelding uit de gids",
    ),
    e(
        "name at least one audience",
        "indiquez au moins un public",
        "noem minstens één doelgroep",
    ),
    e(
        "name at least one service type",
        "indiquez au moins un type de service",
        "noem minstens één soort dienst",
    ),
    e(
        "name at most {max} contacts",
        "indiquez au maximum {max} contacts",
        "noem hoogstens {max} contactpersonen",
    ),
    e(
        "name at most {max} people",
        "indiquez au maximum {max} personnes",
        "noem hoogstens {max} personen",
    ),
    e(
        "name each field at most once",
        "indiquez chaque champ une seule fois au maximum",
        "noem elk veld hoogstens één keer",
    ),
    e(
        "name the provider: a user of this organisation or an outside organisation, one of them",
        "indiquez qui a fourni le service : un utilisateur de cette organisation ou une organisation extérieure, l'un des deux",
        "noem de verlener: een gebruiker van deze organisatie of een externe organisatie, een van beide",
    ),
    e(
        "name the types of organisation the client agrees to share with",
        "indiquez les types d'organisation avec lesquels le client accepte le partage",
        "noem de soorten organisaties waarmee de cliënt het delen toestaat",
    ),
    e(
        "names a goal twice",
        "cite un objectif deux fois",
        "noemt een doel twee keer",
    ),
    e(
        "names a role that does not exist (roles: {list})",
        "cite un rôle qui n'existe pas (rôles : {list})",
        "noemt een rol die niet bestaat (rollen: {list})",
    ),
    e(
        "needs a case_id: details are sealed with the client's key",
        "demande un case_id : les détails sont chiffrés avec la clé du client",
        "vereist een case_id: de details worden versleuteld met de sleutel van de cliënt",
    ),
    e(
        "needs shelter_id",
        "demande shelter_id",
        "vereist shelter_id",
    ),
    e(
        "no such case among those you may see",
        "aucun dossier de ce nom parmi ceux que vous pouvez consulter",
        "geen dergelijk dossier onder de dossiers die u mag inzien",
    ),
    e(
        "no such course in the library",
        "aucun cours de ce nom dans la bibliothèque",
        "geen dergelijke cursus in de bibliotheek",
    ),
    e(
        "no such organisation in your directory",
        "aucune organisation de ce nom dans votre répertoire",
        "geen dergelijke organisatie in uw gids",
    ),
    e(
        "no such room in this organisation",
        "aucune chambre de ce nom dans cette organisation",
        "geen dergelijke kamer in deze organisatie",
    ),
    e(
        "no such shelter in this organisation",
        "aucun foyer de ce nom dans cette organisation",
        "geen dergelijke opvang in deze organisatie",
    ),
    e(
        "not a published version of this course",
        "n'est pas une version publiée de ce cours",
        "is geen gepubliceerde versie van deze cursus",
    ),
    e(
        "one consent per purpose at a time",
        "un seul consentement par finalité à la fois",
        "één toestemming per doel tegelijk",
    ),
    e(
        "only a shared entry can be linked to an organisation",
        "seule une fiche partagée peut être liée à une organisation",
        "alleen een gedeelde vermelding kan aan een organisatie worden gekoppeld",
    ),
    e(
        "report on at most {max} goals",
        "rendez compte d'au maximum {max} objectifs",
        "rapporteer over hoogstens {max} doelen",
    ),
    e(
        "say where an in-person session is held",
        "indiquez où a lieu une session en présentiel",
        "zeg waar een fysieke sessie plaatsvindt",
    ),
    e("say why", "indiquez pourquoi", "zeg waarom"),
    e(
        "say why the proposal is rejected",
        "indiquez pourquoi la proposition est refusée",
        "zeg waarom het voorstel wordt afgewezen",
    ),
    e(
        "say why the referral goes without the client's consent",
        "indiquez pourquoi l'orientation se fait sans le consentement du client",
        "zeg waarom de doorverwijzing zonder toestemming van de cliënt gebeurt",
    ),
    e(
        "the key must be a locale such as `en` or `fr-BE`",
        "la clé doit être une langue comme `en` ou `fr-BE`",
        "de sleutel moet een taalcode zijn zoals `en` of `fr-BE`",
    ),
    e(
        "the period may cover at most {n} months",
        "la période peut couvrir au maximum {n} mois",
        "de periode mag hoogstens {n} maanden beslaan",
    ),
    e(
        "by day, the period may cover at most {n} days",
        "par jour, la période peut couvrir au maximum {n} jours",
        "per dag mag de periode hoogstens {n} dagen beslaan",
    ),
    e(
        "this shelter admits from age {min}",
        "ce foyer accueille à partir de {min} ans",
        "deze opvang neemt op vanaf {min} jaar",
    ),
    e(
        "this shelter admits up to age {max}",
        "ce foyer accueille jusqu'à {max} ans",
        "deze opvang neemt op tot {max} jaar",
    ),
    e(
        "this shelter does not admit clients of gender `{gender}`",
        "ce foyer n'accueille pas les clients de genre `{gender}`",
        "deze opvang neemt geen cliënten van gender `{gender}` op",
    ),
    e(
        "this shelter does not admit minors",
        "ce foyer n'accueille pas de mineurs",
        "deze opvang neemt geen minderjarigen op",
    ),
    e(
        "was used with a different request; use a new key",
        "a été utilisée pour une autre requête ; prenez une nouvelle clé",
        "werd gebruikt voor een ander verzoek; gebruik een nieuwe sleutel",
    ),
    // Titles of notifications. A value written by a user (a deadline's title, a shelter's
    // name) stays as it was written.
    e(
        "Due on {date}: {title} (case {code})",
        "Échéance le {date} : {title} (dossier {code})",
        "Vervalt op {date}: {title} (dossier {code})",
    ),
    e(
        "Due today: {title} (case {code})",
        "Échéance aujourd'hui : {title} (dossier {code})",
        "Vervalt vandaag: {title} (dossier {code})",
    ),
    e(
        "Overdue since {date}: {title} (case {code})",
        "En retard depuis le {date} : {title} (dossier {code})",
        "Te laat sinds {date}: {title} (dossier {code})",
    ),
    e(
        "Contact attempt by traffickers ({severity}) at {shelter}",
        "Tentative de contact par des trafiquants ({severity}) à {shelter}",
        "Contactpoging door mensenhandelaars ({severity}) in {shelter}",
    ),
    e(
        "Security incident ({severity}) at {shelter}",
        "Incident de sécurité ({severity}) à {shelter}",
        "Veiligheidsincident ({severity}) in {shelter}",
    ),
    e(
        "The organisation that referred this client erased their record; the referral's shared details were removed (case {code})",
        "L'organisation qui a orienté ce client a effacé ses données ; les informations partagées de l'orientation ont été retirées (dossier {code})",
        "De organisatie die deze cliënt doorverwees, heeft de gegevens gewist; de gedeelde gegevens van de doorverwijzing zijn verwijderd (dossier {code})",
    ),
];
