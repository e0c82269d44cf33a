"""Frases en español, varias alternativas por hueco."""

BANK: dict[str, list[str]] = {
    "re": ["RE: ", "Re: ", "RE: "],
    "weekdays": ["lunes", "martes", "miércoles", "jueves", "viernes"],
    "titles": [
        "Responsable de Ventas",
        "Business Developer",
        "Fundador y CEO",
        "Consultora Senior",
        "Director Comercial",
    ],
    "subj_leadgen": [
        "Más reuniones cualificadas para {company}",
        "{first}, ¿20 reuniones comerciales al mes?",
        "Una idea para vuestra prospección",
        "Clientes nuevos para {company}",
        "Una idea para conseguir más demos",
    ],
    "subj_devshop": [
        "Desarrolladores dedicados para {company}",
        "Amplía tu equipo técnico sin contratar",
        "Desarrolladores senior desde 28 €/h",
        "Una pregunta sobre vuestro roadmap",
        "Tu próximo desarrollador podría empezar el lunes",
    ],
    "subj_seo": [
        "El posicionamiento de {company} en Google",
        "He echado un vistazo a vuestra web",
        "Auditoría SEO gratuita para {company}",
        "Vuestra web está perdiendo visitas",
    ],
    "subj_recruiting": [
        "¿Buscáis data engineers?",
        "Candidatos para vuestras vacantes",
        "Apoyo en selección para {company}",
    ],
    "subj_supplies": [
        "Tóner y material de oficina hasta un 30 % más barato",
        "Vuestros cartuchos de impresora",
        "Presupuesto de material de oficina para {company}",
    ],
    "subj_saas": [
        "Automatizar los informes de {company}",
        "¿Un asistente de IA para tu equipo?",
        "Cierre mensual en la mitad de tiempo",
        "Idea para {company}",
    ],
    "greet": [
        "Hola {first}:",
        "Hola {first},",
        "Buenos días, {first}:",
        "Estimado/a {first}:",
        "Buenas tardes,",
        "¡Hola, {first}!",
        "Buenas, {first}:",
    ],
    "open": [
        "he visto {company} en LinkedIn y me ha llamado la atención lo que estáis construyendo.",
        "seré breve, sé que tienes la bandeja de entrada llena.",
        "he visto que {company} está contratando, lo que suele indicar crecimiento.",
        "buscando empresas de analítica en Madrid he dado con vosotros.",
        "trabajamos con muchas empresas parecidas a {company}.",
        "espero que estés teniendo una buena semana.",
        "una pregunta rápida: ¿llevas tú la parte comercial en {company}?",
        "no sé si eres la persona adecuada, pero quería escribirte igualmente.",
        "ayudamos a equipos de datos como el tuyo con un problema muy concreto.",
    ],
    "value_leadgen": [
        "Agendamos reuniones comerciales cualificadas directamente en tu calendario y solo pagas por las que se celebran.",
        "Nuestro equipo gestiona toda la prospección por email y LinkedIn; de media conseguimos entre 15 y 25 reuniones al mes.",
        "Creamos listas de decisores de tu sector y nos encargamos de todo el contacto.",
        "Combinamos señales de intención de compra con mensajes personalizados, para que tu equipo solo hable con clientes que ya están buscando.",
    ],
    "value_devshop": [
        "Ponemos a tu disposición desarrolladores senior desde nuestras oficinas en Bogotá y Valencia, operativos en una semana.",
        "Nuestros equipos dedicados (React, Node, Python) cuestan la mitad que una contratación local y se escalan mes a mes.",
        "Tanto para un MVP como para reforzar vuestro producto, montamos un equipo completo en menos de diez días.",
        "Nuestros desarrolladores trabajan en tu zona horaria y directamente en vuestro Jira, Slack y GitHub.",
    ],
    "value_seo": [
        "He hecho una auditoría rápida de vuestra web y he encontrado varios errores técnicos que probablemente os están costando tráfico.",
        "Vuestra competencia está por delante en varias palabras clave importantes, y se puede corregir en pocos meses.",
        "Somos especialistas en linkbuilding y SEO on-page para empresas B2B.",
        "Ahora mismo {company} no aparece en la primera página para «consultoría de analítica Madrid», y tu competencia sí.",
    ],
    "value_recruiting": [
        "Tenemos varios data engineers y analistas ya evaluados que están abiertos a un cambio.",
        "Nuestros consultores están especializados en perfiles de datos y cubren la mayoría de vacantes en menos de tres semanas.",
        "Trabajamos a éxito: no hay coste si no contratas.",
        "Dos de los perfiles que tengo en mente ya han montado plataformas de datos en scale-ups y pueden incorporarse en un mes.",
    ],
    "value_supplies": [
        "Suministramos tóner y tinta compatibles para todas las marcas de impresora hasta un 30 % por debajo del precio habitual.",
        "Entrega en 24 horas de papel, tóner y material de oficina, con una sola factura mensual.",
        "Este mes tenemos envío gratuito y un 15 % de descuento en el primer pedido.",
        "Podemos revisar gratis vuestro gasto en impresión y enseñaros dónde ahorrar.",
    ],
    "value_saas": [
        "Nuestra plataforma automatiza los informes semanales que tus analistas hacen a mano.",
        "Hemos creado un asistente de IA que redacta informes para clientes en minutos.",
        "Se integra con vuestras herramientas (Holded, HubSpot, Slack) en una hora.",
        "La puesta en marcha lleva un día y la mayoría de equipos recibe su primer informe automático esa misma semana.",
    ],
    "proof": [
        "Hace poco ayudamos a {client} a aumentar sus demos un {pct} % en un trimestre.",
        "Empresas como {client} ya trabajan con nosotros.",
        "",
    ],
    "cta": [
        "¿Te vendría bien una llamada de 15 minutos el {weekday}?",
        "¿Hablamos?",
        "¿Eres la persona adecuada para hablar de esto?",
        "¿Te envío un caso de éxito?",
        "Responde «SÍ» y te mando los detalles.",
        "¿Tendrías 15 minutos el {weekday} o el jueves?",
        "¿Con quién debería hablar de esto en tu equipo?",
        "¿Te interesa una prueba gratuita?",
    ],
    "book": [
        "Puedes reservar un hueco aquí: {booking}",
        "Si te resulta más fácil, este es mi calendario: {booking}",
    ],
    "sign": [
        "Un saludo,\n{me}\n{title} | {my_company}",
        "Saludos,\n{me_first}",
        "Atentamente,\n{me}\n{my_company}\n{phone}",
        "Un abrazo,\n{me}",
    ],
    "ps": [
        "P.D.: Si no eres la persona adecuada, ¿me podrías indicar quién es?",
        "P.D. También te puedo enviar un vídeo corto en lugar de una llamada.",
        "",
    ],
    "optout": [
        "¿No te interesa? Responde «no» y no volveré a escribirte.",
        "Si no quieres recibir más correos, date de baja aquí: {link}",
    ],
    "fwd": ["RV: ", "Fwd: ", "RV: "],
    "fwd_head": ["---------- Mensaje reenviado ---------"],
    "fu_resend": [
        "te reenvío mi mensaje por si se quedó enterrado.",
        "vuelvo a enviarte mi correo de la semana pasada, creo que os puede interesar.",
    ],
    "e_loop": [
        "¡gracias por responder tan rápido! Pongo en copia a {colleague}, que creo que lleva el área de datos. ¿Os viene bien el {weekday} a los dos?",
        "¡gracias! Como me sugeriste, añado a {colleague} en copia y os envío los precios a ambos.",
    ],
    "fu_subject": [
        "Seguimiento",
        "¿{first}?",
        "Te escribo de nuevo",
        "¿Sigue siendo relevante?",
        "Último intento",
        "¿Viste mi correo?",
        "Te lo reenvío",
        "{first}, ¿qué te parece?",
        "Otra idea para {company}",
        "¿Cierro tu expediente?",
    ],
    "fu_bump": [
        "te vuelvo a escribir por si se te pasó mi mensaje anterior.",
        "¿has podido leer mi último correo?",
        "retomo mi mensaje de la semana pasada.",
        "sé que estás muy liado, así que seré breve.",
        "como no he tenido respuesta, lo intento una vez más.",
        "vuelvo a la carga, ¡perdona la insistencia!",
        "un pequeño recordatorio sobre mi correo de abajo.",
        "quizá ahora sea mejor momento, por eso te escribo otra vez.",
    ],
    "fu_angle": ["En resumen:", "Una idea más:", "Para darte algo de contexto:"],
    "fu_cta": [
        "¿Te viene bien el {weekday} para una llamada corta?",
        "¿Es una prioridad para vosotros este trimestre?",
        "¿Debería hablar con otra persona de tu equipo?",
        "¡Dime algo!",
        "¿Tienes 10 minutos?",
        "¿Te vendría mejor la semana que viene?",
        "Responde solo con 1) me interesa, 2) ahora no, 3) no soy la persona adecuada.",
    ],
    "fu_break": [
        "como no he recibido respuesta, entiendo que no es el momento. Este será mi último correo; si algo cambia, ya sabes dónde encontrarme.",
        "te he escrito varias veces sin suerte, así que lo dejo aquí. ¿Cierro tu expediente?",
        "entiendo que no es una prioridad y no volveré a escribirte después de este correo. Si cambia algo, mi agenda está abierta.",
    ],
    "fu_calendar": [
        "me he tomado la libertad de enviarte una invitación para el {weekday}; puedes moverla o rechazarla sin problema."
    ],
    "li_open": [
        "¡gracias por conectar en LinkedIn!",
        "encantado de estar conectados.",
        "gracias por aceptar mi invitación.",
    ],
    "r_decline": [
        "No me interesa, gracias.",
        "Por favor, quitadme de vuestra lista.",
        "Hola, no estamos interesados. Por favor, no me contactéis más.",
        "No, gracias, lo tenemos cubierto internamente.",
        "No nos interesa. Baja, por favor.",
    ],
    "r_engage": [
        "Gracias por escribir, justo estamos mirando esto. ¿Me puedes enviar precios?",
        "Suena interesante. ¿Tienes hueco la semana que viene para una llamada?",
        "Sí, lo estamos valorando. ¿Cómo sería un piloto?",
    ],
    "sign_user": ["Un saludo,\n{me_first}", "Saludos,\n{me}", "Gracias,\n{me_first}"],
    "e_reply": [
        "¡gracias por responder! Te adjunto nuestra tarifa y dos casos de éxito. ¿Te va bien el {weekday} a las 10:00?",
        "me alegra saber de ti. Un piloto dura cuatro semanas con uno de vuestros equipos; tienes todos los detalles en el PDF adjunto.",
    ],
    "e_nudge": [
        "quería saber si has podido revisar la propuesta. Puedo presentársela a tu equipo si quieres.",
        "¿alguna duda con los precios? Te guardo la plaza del piloto hasta final de mes.",
    ],
    "cu_subject": [
        "{product}: los paneles no cargan",
        "Urgente: informes con errores desde esta mañana",
        "¿Caída? No podemos acceder a {product}",
        "Incidencia {ticket}: la exportación no funciona",
    ],
    "cu_first": [
        "Hola {first}:\n\ndesde las 9:00 de esta mañana no carga ningún panel en {product}. Tenemos comité de dirección a las 14:00 y necesitamos los datos. ¿Lo podéis revisar?\n\nGracias,\n{me}\n{my_company}",
        "Buenos días:\n\nla sincronización nocturna lleva tres noches fallando y los informes siguen mostrando los datos de la semana pasada. ¿Hay alguna incidencia conocida?\n\nUn saludo,\n{me}",
    ],
    "cu_nudge": [
        "Hola {first}, ¿hay novedades? Seguimos sin acceso a los informes.",
        "Vuelvo a escribir: los paneles siguen caídos.",
        "Perdona la insistencia, pero ¿alguien lo está mirando? Sigue sin funcionar.",
    ],
    "cu_nudge2": [
        "Es la tercera vez que escribo. Llevamos dos días sin informes. Por favor, llamadme al {phone} cuanto antes.",
        "Sigo sin respuesta. ¿Podéis escalarlo? Mañana tenemos consejo.",
    ],
    "cu_thanks": [
        "Gracias, ya funciona todo.",
        "Confirmado, los paneles cargan de nuevo. ¡Gracias por la rapidez!",
    ],
    "u_support_reply": [
        "Hola {first}:\n\ngracias por avisar, lo estamos revisando ahora mismo y te digo algo en menos de una hora.",
        "Hola {first}:\n\nperdona las molestias. Hemos encontrado la causa y estamos desplegando la solución.",
    ],
    "ap_subject": ["Candidatura: {role}", "Solicitud para el puesto de {role}", "{role} – {me}"],
    "ap_first": [
        "Hola {first}:\n\nme gustaría presentar mi candidatura al puesto de {role} publicado en vuestra web. Tengo cuatro años de experiencia con Python, SQL y dbt, el último en una fintech de Barcelona. Adjunto mi CV.\n\nQuedo a vuestra disposición.\n\nUn saludo,\n{me}",
        "Estimado/a {first}:\n\nadjunto mi candidatura para el puesto de {role}. Terminé el máster en estadística el año pasado y desde entonces trabajo en modelos de previsión.\n\nAtentamente,\n{me}",
    ],
    "ap_nudge": [
        "Hola {first}:\n\nquería interesarme por el estado de mi candidatura al puesto de {role}. Sigo muy interesada.\n\nUn saludo,\n{me}",
        "Hola, solo quería confirmar que os llegó mi candidatura. ¡Gracias! {me_first}",
    ],
    "u_ap_reply": [
        "Hola {first}:\n\ngracias por tu candidatura. Esta semana revisamos todos los perfiles y te decimos algo antes del viernes."
    ],
    "jo_subject": [
        "Consulta de prensa: datos en el comercio",
        "Petición de entrevista – {outlet}",
        "Para un reportaje en {outlet}",
    ],
    "jo_first": [
        "Hola {first}:\n\nsoy periodista en {outlet} y estoy preparando un reportaje sobre cómo usan la analítica los comercios medianos. ¿Podrías atenderme 15 minutos antes del {weekday}?\n\nUn saludo,\n{me}",
        "Buenos días:\n\npara un artículo en {outlet} sobre la reciente sentencia de protección de datos, me gustaría contar con la opinión de {company}. Cierro el {weekday} a mediodía.\n\nGracias,\n{me}",
    ],
    "jo_nudge": [
        "Hola {first}, vuelvo a escribir por mi petición: cierro mañana. Con dos frases me vale.",
        "Te escribo de nuevo por si se perdió mi correo.",
    ],
    "le_subject": ["Solicitud de presupuesto {product}", "¿Precio para 40 usuarios?", "Interés en {product}"],
    "le_first": [
        "Hola:\n\nestamos buscando una herramienta de analítica para nuestro equipo comercial de 40 personas y nos han recomendado {product}. ¿Nos podéis enviar un presupuesto? ¿Tenéis prueba gratuita?\n\nGracias,\n{me}\n{my_company}",
        "Hola {first}:\n\nnos conocimos en la feria. Nos gustaría un presupuesto de {product} para unos 25 usuarios con SSO.\n\nUn saludo,\n{me}",
    ],
    "le_nudge": [
        "Hola {first}, ¿hay novedades del presupuesto? Queremos decidir antes de fin de mes.",
        "Vuelvo a preguntar por el presupuesto: la reunión de presupuestos es el {weekday}.",
    ],
    "u_le_reply": [
        "Hola {first}:\n\n¡gracias por vuestro interés! Te adjunto el presupuesto para 40 licencias; la prueba puede empezar cuando queráis."
    ],
    "ve_subject": [
        "Tu solicitud a través de nuestra web",
        "Tu presupuesto n.º {ticket}",
        "Respuesta a tu consulta",
    ],
    "ve_first": [
        "Hola {first}:\n\ngracias por rellenar el formulario de contacto de nuestra web. Como pediste, te adjunto el presupuesto del conector en el plan Business.\n\nUn saludo,\n{me}\n{my_company}",
        "Hola {first}:\n\nen respuesta a tu consulta sobre mesas regulables, te adjunto nuestra oferta para 20 unidades con entrega y montaje.\n\nAtentamente,\n{me}",
    ],
    "ve_nudge": [
        "Hola {first}, quería saber si el presupuesto se ajusta a lo que buscabais.",
        "Si hay que ajustar algo de la oferta, dímelo sin problema.",
    ],
    "fr_subject": ["¿comemos?", "¿un café?", "una cosita", "gracias por ayer", "¿cañas el viernes?"],
    "fr_reply": [
        "¡Claro!",
        "Vale, ¿a las 14:00?",
        "Perfecto, nos vemos.",
        "Esta semana no puedo, ¿el martes que viene?",
        "Gracias, me encargo.",
    ],
    "fr_body": [
        "Hola {first}, ¿comemos juntos?",
        "Oye {first}, ¿café el jueves? Estoy por el centro.",
        "¡Gracias por lo de ayer, fue genial!",
        "¿Unas cañas el viernes al salir?",
        "¡Feliz cumpleaños, {first}!",
    ],
    "pa_subject": [
        "Renovación del contrato",
        "Notas de la llamada",
        "Entrega de datos T4",
        "Próximos pasos de la integración",
    ],
    "pa_out": [
        "Hola {first}:\n\ngracias por la llamada de hoy. Como hablamos, te adjunto el borrador de la renovación; ¿lo puedes revisar antes del {weekday}?",
        "Hola {first}:\n\n¿nos podéis enviar la extracción del T4 cuando esté lista? Mismo formato que la última vez.",
    ],
    "pa_in": [
        "Hola {first}:\n\ngracias, por nuestra parte está bien. Dos comentarios en la cláusula 4 y lo firmamos.",
        "Gracias {first}, perfecto. Te envío el fichero el {weekday}.",
    ],
    "nc_subject": [
        "Encantado de conocerte en el congreso",
        "Las diapositivas del Data Summit",
        "Tras la conferencia",
    ],
    "nc_body": [
        "Hola {first}:\n\nun placer conocerte ayer en el congreso; aquí tienes, como te prometí, las diapositivas de mi charla.\n\nUn saludo,\n{me}",
        "Hola {first}:\n\ngracias por la conversación en la cena del congreso. Te adjunto las diapositivas y el enlace al artículo del que hablamos.\n\n{me_first}",
    ],
    "nc_reply": ["¡Gracias {first}, igualmente! Les echo un vistazo esta semana."],
    "li_accept_subject": ["{name} ha aceptado tu invitación", "Ahora estás conectado con {name}"],
    "li_accept_body": [
        "{name} ha aceptado tu invitación. Inicia una conversación.\n\nVer perfil: {link}\n\nRecibes correos de notificación de invitaciones.\nDarse de baja: {link}\n\n© LinkedIn Corporation"
    ],
    "in_subject": ["Presentación del jueves", "Comida de equipo", "¿Lo revisas?", "Cifras T4", "Vacaciones"],
    "in_body": [
        "Hola {first}:\n\n¿puedes revisar la presentación antes del jueves? Sobre todo las diapositivas 5-9.\n\nGracias,\n{me_first}",
        "Hola a todos:\n\nlas cifras del T4 están en la carpeta compartida. Revisad vuestras líneas antes del {weekday}.",
        "{first}, ¿puedes cubrir mis llamadas el lunes? Estoy enfermo.",
    ],
    "nl_names": ["El Boletín de Datos", "Analítica Semanal", "Novedades de Producto", "Resumen Tech"],
    "nl_subject": ["{nl} n.º {n}: {topic}", "Esta semana: {topic}", "{topic} y mucho más"],
    "nl_intro": [
        "Bienvenido a un nuevo número.",
        "Esto es lo que nos ha llamado la atención esta semana.",
        "Gracias por leernos: aquí tienes el número {n}.",
    ],
    "nl_promo": [
        "Webinar el {weekday}: previsiones con plataformas de datos modernas. Inscríbete",
        "Novedad: ya está disponible nuestro módulo de previsión. Pide una demo",
        "20 % de descuento en planes anuales hasta el viernes",
        "Última oportunidad para las entradas early bird de nuestra conferencia",
    ],
    "nl_item": [
        "Por qué los contratos de datos se imponen",
        "Cinco paneles que nos han encantado",
        "Qué supone el reglamento de IA para los analistas",
        "Agenda de eventos de noviembre",
    ],
    "nl_footer": ["Recibes este boletín porque te suscribiste en {brand_host}. Darse de baja: {link}"],
    "tx_order_subject": ["Tu pedido n.º {order} está confirmado", "Confirmación del pedido {order}"],
    "tx_order_body": [
        "Hola {first}:\n\ngracias por tu pedido n.º {order}. Importe total: {amount}. Te avisaremos cuando salga.\n\nVer pedido: {link}"
    ],
    "tx_ship_subject": ["Tu pedido {order} ha sido enviado", "Tu paquete está en camino"],
    "tx_ship_body": [
        "¡Buenas noticias, {first}! Tu pedido {order} ya está en camino y llegará el {weekday}. Seguimiento: {link}"
    ],
    "tx_invoice_subject": ["Tu factura {order}", "Justificante de pago", "Factura {order} de {brand}"],
    "tx_invoice_body": [
        "Hola {first}:\n\ntu factura {order} por {amount} ya está disponible en tu área de cliente. El cargo se realizará automáticamente.\n\n{link}"
    ],
    "tx_reset_subject": [
        "Restablece tu contraseña",
        "Tu código de acceso",
        "Alerta de seguridad: nuevo inicio de sesión",
    ],
    "tx_reset_body": [
        "Hola {first}:\n\nhemos recibido una solicitud para restablecer tu contraseña. El enlace es válido durante 30 minutos: {link}\n\nSi no has sido tú, ignora este correo."
    ],
    "ca_summary": [
        "RESERVA: planificación T4",
        "Revisión trimestral",
        "1:1 {first} / {me_first}",
        "Arranque del proyecto",
    ],
    "ca_body": [
        "{me} te ha invitado a: {summary}\nCuándo: {weekday} 10:00-11:00\nUnirse: {link}",
        "Invitación: {summary}\n{weekday}, 14:00 - 15:00\nPor favor, acepta o rechaza.",
        "Reservo este hueco para {summary}; la agenda, en breve.",
    ],
}
